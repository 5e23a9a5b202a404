#include "daemon/stats/log_line.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

constexpr int64_t kNov28 = 1795851327;  // 2026-11-28 07:35:27 UTC

TEST_CASE("log lines are in the Combined Log Format") {
  RequestLogRecord r;
  r.remote_addr = "127.0.0.1";
  r.time = kNov28;
  r.method = "GET";
  r.target = "/Ab3dE9x";
  r.protocol = "HTTP/1.1";
  r.status = 200;
  r.bytes = 6;
  r.user_agent = "curl/7.88.1";
  CHECK(FormatLogLine(r) ==
        "127.0.0.1 - - [28/Nov/2026:07:35:27 +0000] \"GET /Ab3dE9x HTTP/1.1\" "
        "200 6 \"-\" \"curl/7.88.1\"");
}

TEST_CASE("quotes, backslashes and odd bytes in fields are escaped") {
  RequestLogRecord r;
  r.remote_addr = "::1";
  r.time = kNov28;
  r.method = "GET";
  r.target = "/a\"b\\c";
  r.protocol = "HTTP/1.1";
  r.status = 404;
  r.referer = "http://x/\"quoted\"";
  r.user_agent = "Evil \"agent\" \\ \n\t\x01 é";
  std::string line = FormatLogLine(r);
  CHECK(line ==
        "::1 - - [28/Nov/2026:07:35:27 +0000] \"GET /a\\\"b\\\\c HTTP/1.1\" "
        "404 0 \"http://x/\\\"quoted\\\"\" "
        "\"Evil \\\"agent\\\" \\\\ \\x0A\\x09\\x01 \\xC3\\xA9\"");
  CHECK(line.find('\n') == std::string::npos);
  auto parsed = ParseLogLine(line);
  REQUIRE(parsed);
  CHECK(parsed->method == "GET");
  CHECK(parsed->target == "/a\\\"b\\\\c");
  CHECK(parsed->status == 404);
  CHECK(MonthName(parsed->month_index) == "2026-11");
}

TEST_CASE("lines from other writers parse, including IPv6 and offsets") {
  auto nginx = ParseLogLine(
      "2001:db8::7 - alice [01/Dec/2026:00:30:00 +0100] \"GET /Ab3dE9x "
      "HTTP/2.0\" 200 512 \"https://example.org/\" \"Mozilla/5.0 (X11; Linux "
      "x86_64)\"");
  REQUIRE(nginx);
  CHECK(MonthName(nginx->month_index) == "2026-11");  // 23:30 UTC on Nov 30
  auto behind = ParseLogLine(
      "10.0.0.1 - - [30/Nov/2026:20:00:00 -0500] \"GET /x HTTP/1.0\" 200 1 \"-\" \"-\"");
  REQUIRE(behind);
  CHECK(MonthName(behind->month_index) == "2026-12");  // 01:00 UTC on Dec 1
  auto common =
      ParseLogLine("10.0.0.1 - - [31/Dec/2026:23:59:59 +0000] \"GET /Ab3dE9x HTTP/1.1\" 200 5");
  REQUIRE(common);
  CHECK(MonthName(common->month_index) == "2026-12");
  auto bad_request =
      ParseLogLine("10.0.0.1 - - [31/Dec/2026:23:59:59 +0000] \"-\" 400 0 \"-\" \"-\"");
  REQUIRE(bad_request);
  CHECK(bad_request->method.empty());
  CHECK(bad_request->status == 400);
}

TEST_CASE("garbage lines do not parse") {
  for (const char* line : {"", "hello", "1.2.3.4 - - [28/Nov/2026:07:35:27 +0000]",
                           "1.2.3.4 - - [28/Foo/2026:07:35:27 +0000] \"GET / HTTP/1.1\" 200 1",
                           "1.2.3.4 - - [28/Nov/2026:07:35:27] \"GET / HTTP/1.1\" 200 1",
                           "1.2.3.4 - - [28/Nov/2026:07:35:27 +0000] \"GET / HTTP/1.1 200 1",
                           "1.2.3.4 - - [28/Nov/2026:07:35:27 +0000] \"GET / HTTP/1.1\" abc 1"}) {
    INFO(line);
    CHECK_FALSE(ParseLogLine(line));
  }
}

TEST_CASE("a visit is a successful GET of a paste, raw or as JSON, or a burn from its page") {
  struct Case {
    const char* method;
    const char* target;
    int status;
    const char* link;  // nullptr: not a visit
  };
  const Case kCases[] = {
      {"GET", "/Ab3dE9x", 200, "Ab3dE9x"},
      {"GET", "/Ab3dE9x?raw", 200, "Ab3dE9x"},
      {"GET", "/%41b3dE9x", 200, "Ab3dE9x"},
      {"GET", "/api/v1/paste?shortlink=Ab3dE9x", 200, "Ab3dE9x"},
      {"GET", "/api/v1/paste?x=1&shortlink=Ab3dE9x&shortlink=Zz9Zz9Z", 200, "Ab3dE9x"},
      // Regression: a percent-encoded name was the paste served, the plain
      // one after it the paste counted. The server's reading counts.
      {"GET", "/api/v1/paste?%73hortlink=Ab3dE9x&shortlink=Zz9Zz9Z", 200, "Ab3dE9x"},
      {"GET", "/api/v1/paste?short%6Cink=Ab3dE9x", 200, "Ab3dE9x"},
      {"GET", "/api/v1/paste?shortlink=%41b3dE9x", 200, "Ab3dE9x"},
      {"GET", "/raw/Ab3dE9x", 200, "Ab3dE9x"},
      {"GET", "/Ab3dE9x.py", 200, "Ab3dE9x"},
      {"GET", "/raw/Ab3dE9x.cpp", 200, "Ab3dE9x"},
      {"GET", "/Ab3dE9x.P Y", 200, nullptr},
      {"GET", "/favicon.ico", 200, nullptr},
      {"GET", "/share/Ab3dE9x", 200, "Ab3dE9x"},
      {"GET", "/dl/Ab3dE9x.rs", 200, "Ab3dE9x"},
      {"GET", "/aB-d+fGh1-+", 200, "aB-d+fGh1-+"},
      {"GET", "/documents/Ab3dE9x", 200, "Ab3dE9x"},
      {"GET", "/raw/Ab3dE9x/x", 200, nullptr},
      {"GET", "/Ab3dE9x", 404, nullptr},
      {"GET", "/Ab3dE9x", 500, nullptr},
      {"HEAD", "/Ab3dE9x", 200, nullptr},
      {"POST", "/api/v1/paste", 201, nullptr},
      {"DELETE", "/api/v1/paste?shortlink=Ab3dE9x", 204, nullptr},
      {"GET", "/healthz", 200, nullptr},
      {"GET", "/readyz", 200, nullptr},           // six letters: a link's length now
      {"GET", "/created/Ab3dE9x", 200, nullptr},  // the form's answer: its maker
      {"GET", "/robots.txt", 200, nullptr},
      {"GET", "/metrics", 200, nullptr},
      {"GET", "/api/v1/paste?shortlink=short", 200, nullptr},
      {"GET", "/api/v1/admin/stats", 200, nullptr},
      {"GET", "/a/b", 200, nullptr},
      {"GET", "/", 200, nullptr},
      // A burn-after-reading paste opened from its page.
      {"POST", "/burn/Ab3dE9x", 200, "Ab3dE9x"},
      {"POST", "/burn/Ab3dE9x", 404, nullptr},
      {"POST", "/burn/nope", 200, nullptr},
      {"GET", "/burn/Ab3dE9x", 200, nullptr},
  };
  for (const auto& c : kCases) {
    INFO(c.method << " " << c.target << " " << c.status);
    ParsedLogLine line;
    line.method = c.method;
    line.target = c.target;
    line.status = c.status;
    auto link = VisitedShortlink(line);
    if (c.link) {
      REQUIRE(link);
      CHECK(*link == c.link);
    } else {
      CHECK_FALSE(link);
    }
  }
}

TEST_CASE("month names round-trip and bad ones are refused") {
  CHECK(MonthName(*ParseMonthName("2026-11")) == "2026-11");
  CHECK(MonthName(*ParseMonthName("0999-01")) == "0999-01");
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", ""}) {
    INFO(bad);
    CHECK_FALSE(ParseMonthName(bad));
  }
}

}  // namespace
}  // namespace pastebin
