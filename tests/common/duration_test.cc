#include "common/duration.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("durations parse to minutes") {
  struct Case {
    const char* text;
    int64_t minutes;
  };
  const Case kCases[] = {
      {"never", 0},         {"1", 1},    {"90", 90},
      {"30m", 30},          {"2h", 120}, {"7d", 10080},
      {"2w", 20160},        {"01h", 60}, {"52596000", kMaxExpiryMinutes},
      {"36525d", 52596000},
  };
  for (const auto& c : kCases) {
    INFO(c.text);
    auto minutes = ParseDuration(c.text);
    REQUIRE(minutes.ok());
    CHECK(*minutes == c.minutes);
  }
}

TEST_CASE("bad durations are refused with the accepted forms") {
  const char* kBad[] = {"",
                        "bogus",
                        "-5",
                        "1x",
                        "+5",
                        "1.5h",
                        " 5",
                        "5 ",
                        "h",
                        "m",
                        "1hh",
                        "5s",
                        "NEVER",
                        "52596001",
                        "36526d",
                        "99999999999999999999999",
                        "9223372036854775807m",
                        "1e3",
                        "0",
                        "0m",
                        "00d"};
  for (const char* text : kBad) {
    INFO(text);
    auto minutes = ParseDuration(text);
    REQUIRE_FALSE(minutes.ok());
    CHECK(minutes.status().code() == Code::kInvalidArgument);
    CHECK_THAT(minutes.status().message(),
               Catch::StartsWith("invalid duration '" + std::string(text) + "'"));
    CHECK_THAT(minutes.status().message(),
               Catch::EndsWith("use a number of minutes or a number with m, h, "
                               "d or w (30m, 2h, 7d, 2w), or 'never'"));
  }
}

TEST_CASE("a zero duration is refused, pointing at never") {
  auto minutes = ParseDuration("0");
  REQUIRE_FALSE(minutes.ok());
  CHECK_THAT(minutes.status().message(),
             Catch::StartsWith("invalid duration '0' (zero; for no expiry say 'never'): "));
}

TEST_CASE("an unknown unit is named") {
  auto minutes = ParseDuration("5s");
  REQUIRE_FALSE(minutes.ok());
  CHECK_THAT(minutes.status().message(),
             Catch::StartsWith("invalid duration '5s' (unknown unit 's'): "));
}

TEST_CASE("durations over 100 years say so") {
  auto minutes = ParseDuration("5300w");
  REQUIRE_FALSE(minutes.ok());
  CHECK_THAT(minutes.status().message(), Catch::Contains("(longer than 100 years)"));
}

TEST_CASE("durations format to their shortest exact spelling") {
  CHECK(FormatDuration(0) == "never");
  CHECK(FormatDuration(90) == "90m");
  CHECK(FormatDuration(120) == "2h");
  CHECK(FormatDuration(1440) == "1d");
  CHECK(FormatDuration(10080) == "1w");
  CHECK(FormatDuration(1500) == "25h");
  for (int64_t m : {1, 59, 61, 1441, 20160, 52596000}) {
    CHECK(*ParseDuration(FormatDuration(m)) == m);
  }
}

}  // namespace
}  // namespace pastebin
