#include "common/strings.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("HumanBytes says bytes in powers of 1000 with one decimal", "[strings]") {
  CHECK(HumanBytes(0) == "0 B");
  CHECK(HumanBytes(999) == "999 B");
  CHECK(HumanBytes(1000) == "1.0 KB");
  CHECK(HumanBytes(131100) == "131.1 KB");
  CHECK(HumanBytes(999949) == "999.9 KB");
  CHECK(HumanBytes(999950) == "1.0 MB");  // never "1000.0 KB"
  CHECK(HumanBytes(10 * 1024 * 1024) == "10.5 MB");
  CHECK(HumanBytes(3'000'000'000) == "3.0 GB");
}

}  // namespace
}  // namespace pastebin
