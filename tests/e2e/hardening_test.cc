// Abuse limits and hostile input against a real pasted.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "tests/e2e/fixture.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

httplib::Result PostFrom(httplib::Client& c, const std::string& forwarded_for) {
  httplib::Headers h;
  if (!forwarded_for.empty()) h.emplace("X-Forwarded-For", forwarded_for);
  return c.Post("/api/v1/paste", h, R"({"paste_contents": "x"})", "application/json");
}

TEST_CASE("writes over the rate limit get 429 with Retry-After, reads never") {
  TempDir clock_dir;
  int64_t now = SystemClock().NowSeconds();
  WriteFile(clock_dir / "now", std::to_string(now));
  E2e e({"--rate-limit", "2", "--rate-limit-burst", "2"},
        {{"PASTED_FAKE_CLOCK_FILE", clock_dir / "now"}});
  auto first = e.Cli({"put"}, "one");
  REQUIRE(first.exit_code == 0);
  REQUIRE(e.Cli({"put"}, "two").exit_code == 0);
  auto third = e.Cli({"put"}, "three");
  CHECK(third.exit_code == 5);
  CHECK(third.err ==
        "pastebin: error: too many pastes from 127.0.0.1; try again in 30 seconds\n");
  auto http = e.Http();
  auto r = PostFrom(http, "");
  CHECK(r->status == 429);
  CHECK(r->get_header_value("Retry-After") == "30");
  CHECK(json::parse(r->body)["error"]["code"] == "rate_limited");
  for (int i = 0; i < 20; ++i) {  // reads are not limited
    REQUIRE(e.Cli({"get", E2e::LinkOf(first.out)}).exit_code == 0);
  }
  WriteFile(clock_dir / "now", std::to_string(now + 30));
  CHECK(e.Cli({"put"}, "later").exit_code == 0);
  CHECK(ListFiles(e.dir / "data/content").size() == 3);
}

TEST_CASE("X-Forwarded-For names the client only behind a trusted proxy") {
  SECTION("untrusted: one bucket for everyone on this address") {
    E2e e({"--rate-limit", "1", "--rate-limit-burst", "1"});
    auto http = e.Http();
    CHECK(PostFrom(http, "198.51.100.1")->status == 201);
    CHECK(PostFrom(http, "198.51.100.2")->status == 429);
  }
  SECTION("trusted: a bucket per forwarded client, logged as the client") {
    E2e e({"--rate-limit", "1", "--rate-limit-burst", "1", "--trusted-proxies",
           "127.0.0.1, ::1"});
    auto http = e.Http();
    CHECK(PostFrom(http, "198.51.100.1")->status == 201);
    CHECK(PostFrom(http, "198.51.100.2")->status == 201);
    CHECK(PostFrom(http, "198.51.100.1")->status == 429);
    REQUIRE(e.daemon.Stop() == 0);
    std::string log = ReadFile(e.dir / "data/access.log");
    CHECK_THAT(log, Catch::Contains("198.51.100.2 - - ["));
  }
}

}  // namespace
}  // namespace pastebin::testing
