#include "common/time_format.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("times format as the chapter's form and as RFC 3339 UTC") {
  CHECK(FormatUtc(1795887218) == "2026-11-28 17:33:38");
  CHECK(FormatRfc3339(1795887218) == "2026-11-28T17:33:38Z");
  CHECK(FormatRfc3339(0) == "1970-01-01T00:00:00Z");
}

TEST_CASE("RFC 3339 UTC times parse back, and nothing else does") {
  CHECK(ParseRfc3339("2026-11-28T17:33:38Z") == 1795887218);
  CHECK(ParseRfc3339("2024-02-29T00:00:00Z").has_value());
  for (const char* bad : {"2026-11-28 17:33:38", "2026-11-28T17:33:38", "2026-11-28T17:33:38+01:00",
                          "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-28T24:00:00Z",
                          "", "never", "2026-11-28T17:33:3xZ"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339(bad).has_value());
  }
}

TEST_CASE("either time form normalizes to RFC 3339 and other text is refused") {
  CHECK(NormalizeToRfc3339("2026-11-28 17:33:38") == "2026-11-28T17:33:38Z");
  CHECK(NormalizeToRfc3339("2026-11-28T17:33:38Z") == "2026-11-28T17:33:38Z");
  CHECK_FALSE(NormalizeToRfc3339("2026-11-28 17:33:38\n").has_value());
  CHECK_FALSE(NormalizeToRfc3339("yesterday").has_value());
}

}  // namespace
}  // namespace pastebin
