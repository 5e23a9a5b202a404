// Monthly statistics from the access log, through restarts, crashes and
// log rotation by the real logrotate.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/e2e/fixture.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

constexpr int64_t kNov30Late = 1796083190;  // 2026-11-30 23:59:50 UTC

// Visits a paste n times through the CLI.
void Visit(E2e& e, const std::string& link, int n) {
  for (int i = 0; i < n; ++i) REQUIRE(e.Cli({"get", link}).exit_code == 0);
}

json Stats(E2e& e, const std::string& month = "") {
  std::vector<std::string> args = {"stats", "--json"};
  if (!month.empty()) {
    args.push_back("--month");
    args.push_back(month);
  }
  auto r = e.Cli(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

json MonthOf(std::vector<std::pair<std::string, int>> pastes, const std::string& month) {
  std::sort(pastes.begin(), pastes.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  json list = json::array();
  int total = 0;
  for (const auto& [link, visits] : pastes) {
    list.push_back({{"shortlink", link}, {"visits", visits}});
    total += visits;
  }
  return {{"month", month},
          {"total_visits", total},
          {"pastes_visited", pastes.size()},
          {"pastes", list}};
}

// The access log's text so far; none before the file is there.
std::string LogText(const std::string& path) {
  try {
    return ReadFile(path);
  } catch (const std::exception&) {
    return "";
  }
}

size_t LogLines(const std::string& path) {
  std::string text = LogText(path);
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Lines of path that are visits of link: the count a kill must wait for,
// whatever else (the header, the puts) has reached the file by then.
size_t VisitLines(const std::string& path, const std::string& link) {
  const std::string text = LogText(path);
  size_t n = 0;
  const std::string visit = "\"GET /";
  for (size_t at = 0; at < text.size();) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) break;  // a line not yet whole
    std::string_view line(text.data() + at, nl - at);
    if (line.find(visit) != std::string_view::npos && line.find(link) != std::string_view::npos)
      n++;
    at = nl + 1;
  }
  return n;
}

struct Two {
  explicit Two(E2e& e)
      : a(E2e::LinkOf(e.Cli({"put"}, "paste a").out)),
        b(E2e::LinkOf(e.Cli({"put"}, "paste b").out)) {}
  std::string a, b;
};

TEST_CASE("stats count exactly the successful reads of each paste") {
  E2e e;
  Two p(e);
  Visit(e, p.a, 3);
  Visit(e, p.b, 1);
  auto http = e.Http();
  CHECK(http.Get("/api/v1/paste?shortlink=" + p.b)->status == 200);  // a visit
  CHECK(http.Get("/Zz9Zz9Z")->status == 404);                        // a miss
  CHECK(http.Get("/healthz")->status == 200);                        // no paste
  CHECK(http.Head(("/" + p.a).c_str())->status == 200);              // no body
  std::string month = ThisMonth();
  CHECK(Stats(e, month) == MonthOf({{p.a, 3}, {p.b, 2}}, month));
  CHECK(Stats(e) ==
        json{{"months", {{{"month", month}, {"total_visits", 5}, {"pastes_visited", 2}}}},
             {"storage", {{"pastes", 2}, {"bytes_pasted", 14}, {"bytes_stored", 14}}}});
  // Asking again counts nothing twice.
  CHECK(Stats(e, month)["total_visits"] == 5);
}

TEST_CASE("longer links (link_length) are made, served and counted like short ones") {
  E2e e({"--link-length", "10"});
  auto put = e.Cli({"put"}, "a longer link\n");
  REQUIRE(put.exit_code == 0);
  std::string longer = E2e::LinkOf(put.out);
  CHECK(longer.size() == 10);
  auto got = e.Cli({"get", longer});
  CHECK(got.out == "a longer link\n");
  CHECK(e.Http().Get("/api/v1/paste?shortlink=" + longer)->status == 200);
  CHECK(e.Http().Get("/raw/" + longer)->body == "a longer link\n");
  std::string month = ThisMonth();
  CHECK(Stats(e, month) == MonthOf({{longer, 3}}, month));
  auto mine = e.Cli({"stats", longer, "--json"});
  INFO(mine.err);
  REQUIRE(mine.exit_code == 0);
  CHECK(json::parse(mine.out)["total_visits"] == 3);
}

TEST_CASE("stats print aligned tables") {
  E2e e;
  Two p(e);
  Visit(e, p.a, 12);
  Visit(e, p.b, 3);
  std::string month = ThisMonth();
  auto all = e.Cli({"stats"});
  CHECK(all.exit_code == 0);
  CHECK(all.out == "MONTH    VISITS  PASTES\n" + month +
                       "      15       2\n"
                       "stored: 2 pastes, 14 B pasted, 14 B after compression (100%)\n");
  auto one = e.Cli({"stats", "--month", month});
  CHECK(one.out == month +
                       ": 15 visits to 2 pastes\n"
                       "LINK     VISITS\n" +
                       p.a + "      12\n" + p.b + "       3\n");
  auto top = e.Cli({"stats", "--month", month, "--top", "1"});
  CHECK(top.out == month + ": 15 visits to 2 pastes\nLINK     VISITS\n" + p.a + "      12\n");
  auto bad = e.Cli({"stats", "--month", "2026-13"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "pastebin: error: month '2026-13' is not a month; use YYYY-MM (e.g. 2026-11)\n");
  auto empty_month = e.Cli({"stats", "--month", "1999-01"});
  CHECK(empty_month.out == "1999-01: 0 visits to 0 pastes\n");
}

TEST_CASE("stats survive restarts and crashes without double counting") {
  E2e e;
  Two p(e);
  std::string month = ThisMonth();
  Visit(e, p.a, 2);
  CHECK(Stats(e, month)["total_visits"] == 2);
  REQUIRE(e.daemon.Stop() == 0);
  e.daemon.Start();
  CHECK(Stats(e, month) == MonthOf({{p.a, 2}}, month));

  // Visits that reached the log but were never rolled up before a crash
  // are picked up at the next start.
  Visit(e, p.b, 3);
  REQUIRE(WaitUntil([&] { return VisitLines(e.dir / "data/access.log", p.b) == 3; }));
  e.daemon.Kill();
  e.daemon.Start();
  CHECK(Stats(e, month) == MonthOf({{p.a, 2}, {p.b, 3}}, month));
}

TEST_CASE("a log rotated while the daemon was down is read from NAME.1") {
  E2e e;
  Two p(e);
  std::string month = ThisMonth();
  // The visits' own lines: the file's other lines (its header, the puts)
  // may reach it later than the test gets here, so a count of all lines
  // could be met with a visit still buffered, which the kill then loses.
  Visit(e, p.a, 4);
  REQUIRE(WaitUntil([&] { return VisitLines(e.dir / "data/access.log", p.a) == 4; }));
  e.daemon.Kill();
  std::string log = e.dir / "data/access.log";
  REQUIRE(rename(log.c_str(), (log + ".1").c_str()) == 0);
  e.daemon.Start();
  Visit(e, p.b, 1);
  CHECK(Stats(e, month) == MonthOf({{p.a, 4}, {p.b, 1}}, month));
}

TEST_CASE("logrotate and SIGHUP lose and repeat no visit") {
  if (!HaveProgram("logrotate")) SkipTest("logrotate is not installed");
  E2e e;
  Two p(e);
  std::string month = ThisMonth();
  std::string log = e.dir / "data/access.log";
  WriteFile(e.dir / "logrotate.conf",
            log +
                " {\n  rotate 5\n  compress\n  delaycompress\n  nocreate\n"
                "  postrotate\n    kill -HUP " +
                std::to_string(e.daemon.pid()) + "\n  endscript\n}\n");
  auto rotate = [&] {
    auto r = Run({"/usr/bin/env", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "logrotate", "-f", "-s",
                  e.dir / "logrotate.state", e.dir / "logrotate.conf"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // SIGHUP makes pasted create the new file.
    REQUIRE(WaitUntil([&] { return LogLines(log) > 0 || access(log.c_str(), F_OK) == 0; }));
  };
  int a = 0, b = 0;
  for (int round = 0; round < 3; ++round) {
    Visit(e, p.a, 2);
    Visit(e, p.b, 1);
    a += 2;
    b += 1;
    // logrotate skips nothing here, but the lines must be in the file first.
    REQUIRE(WaitUntil([&] { return LogLines(log) >= 3; }));
    rotate();
  }
  Visit(e, p.a, 1);
  a += 1;
  CHECK(Stats(e, month) == MonthOf({{p.a, a}, {p.b, b}}, month));
  CHECK(access((log + ".1").c_str(), F_OK) == 0);
  CHECK(access((log + ".2.gz").c_str(), F_OK) == 0);
  CHECK_THAT(e.daemon.log(), Catch::Contains("reopened " + log));
}

TEST_CASE("rotated logs whose first requests are alike keep their own positions") {
  // Regression: logs were known by their first line; two rotated logs
  // starting with the same request (same second, client and answer) shared
  // one read position, and 4 of 6 visits were counted.
  TempDir clock_dir;
  WriteFile(clock_dir / "now", std::to_string(kNov30Late - 3600));
  E2e e({}, {{"PASTED_FAKE_CLOCK_FILE", clock_dir / "now"}});
  std::string log = e.dir / "data/access.log";
  std::string a = E2e::LinkOf(e.Cli({"put"}, "same").out);
  Visit(e, a, 3);
  REQUIRE(WaitUntil([&] { return LogLines(log) >= 4; }));
  REQUIRE(rename(log.c_str(), (log + ".1").c_str()) == 0);
  e.daemon.Signal(SIGHUP);
  REQUIRE(WaitUntil([&] { return access(log.c_str(), F_OK) == 0; }));
  // The same request at the same second: the same line as file 1's first.
  std::string b = E2e::LinkOf(e.Cli({"put"}, "same").out);
  Visit(e, b, 3);
  CHECK(Stats(e, "2026-11") == MonthOf({{a, 3}, {b, 3}}, "2026-11"));
  // Each file starts with a line of its own.
  std::string first1 = ReadFile(log + ".1").substr(0, ReadFile(log + ".1").find('\n'));
  std::string first2 = ReadFile(log).substr(0, ReadFile(log).find('\n'));
  CHECK_THAT(first1, Catch::StartsWith("#pasted access log "));
  CHECK(first1 != first2);
}

TEST_CASE("visits fall into UTC months by their log time") {
  TempDir clock_dir;
  WriteFile(clock_dir / "now", std::to_string(kNov30Late));
  E2e e({}, {{"PASTED_FAKE_CLOCK_FILE", clock_dir / "now"}});
  Two p(e);
  Visit(e, p.a, 2);
  WriteFile(clock_dir / "now", std::to_string(kNov30Late + 10));  // Dec 1 00:00
  Visit(e, p.a, 1);
  Visit(e, p.b, 1);
  CHECK(Stats(e, "2026-11") == MonthOf({{p.a, 2}}, "2026-11"));
  CHECK(Stats(e, "2026-12") == MonthOf({{p.a, 1}, {p.b, 1}}, "2026-12"));
  CHECK(Stats(e)["months"].size() == 2);
}

TEST_CASE("deleting a paste keeps its past visits") {
  E2e e;
  auto put = e.Cli({"put"}, "short-lived fame");
  std::string link = E2e::LinkOf(put.out);
  Visit(e, link, 3);
  REQUIRE(e.Cli({"delete", link}).exit_code == 0);
  CHECK(e.Cli({"get", link}).exit_code == 3);  // a miss, not a visit
  std::string month = ThisMonth();
  CHECK(Stats(e, month) == MonthOf({{link, 3}}, month));
}

TEST_CASE("stats are an admin route") {
  E2e e;
  auto http = e.Http();
  auto r = http.Get("/api/v1/admin/stats", {{"X-Forwarded-For", "203.0.113.9"}});
  CHECK(r->status == 403);
  CHECK(http.Get("/api/v1/admin/stats")->status == 403);  // loopback is not enough
  auto admin = e.Admin();
  CHECK(admin.Get("/api/v1/admin/stats?month=11-2026")->status == 400);
  CHECK(admin.Get("/api/v1/admin/stats?month=2026-11&top=x")->status == 400);
}

TEST_CASE("the access log is in Combined Log Format") {
  E2e e;
  auto put = e.Cli({"put"}, "x");
  std::string link = E2e::LinkOf(put.out);
  Visit(e, link, 1);
  REQUIRE(e.daemon.Stop() == 0);  // flushes
  std::string log = ReadFile(e.dir / "data/access.log");
  std::regex get_line(
      "127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d "
      "\\+0000\\] \"GET /" +
      link + "\\?burn=yes HTTP/1\\.1\" 200 1 \"-\" \"pastebin/[0-9.]+\"\n");
  CHECK(std::regex_search(log, get_line));
  CHECK(log.find("paste_contents") == std::string::npos);  // no bodies
}

TEST_CASE("a paste's owner sees its visits by month with its delete token") {
  E2e e;
  auto mine = e.Cli({"put", "--json"}, "mine\n");
  REQUIRE(mine.exit_code == 0);
  json created = json::parse(mine.out);
  std::string link = created["shortlink"], token = created["delete_token"];
  std::string other = E2e::LinkOf(e.Cli({"put"}, "other\n").out);
  auto http = e.Http();
  for (int i = 0; i < 3; ++i) REQUIRE(http.Get("/" + link)->status == 200);
  REQUIRE(http.Get("/raw/" + other)->status == 200);
  REQUIRE(http.Get("/Nope123")->status == 404);
  // With the token put saved: no admin token needed, another HOME is fine
  // given the token.
  auto r = e.Cli({"stats", link});
  CHECK(r.exit_code == 0);
  CHECK(r.out == link + ": 3 visits\nMONTH    VISITS\n" + ThisMonth() + "       3\n");
  auto stranger = Run({BinaryPath("pastebin"), "--server", e.daemon.url(), "stats", link, "--json"},
                      "", {{"HOME", e.dir / "stranger"}, {"PASTEBIN_DELETE_TOKEN", token}});
  CHECK(stranger.exit_code == 0);
  json j = json::parse(stranger.out);
  CHECK(j["shortlink"] == link);
  CHECK(j["total_visits"] == 3);
  CHECK(j["months"] == json::array({{{"month", ThisMonth()}, {"visits", 3}}}));
  // Without the right token: nothing.
  auto wrong =
      Run({BinaryPath("pastebin"), "--server", e.daemon.url(), "stats", link, "--token-file", "-"},
          "00000000000000000000000000000000\n", {{"HOME", e.dir / "stranger"}});
  CHECK(wrong.exit_code == 5);
  CHECK(wrong.err == "pastebin: error: wrong delete token for paste " + link + "\n");
  auto none = http.Get("/api/v1/paste/stats?shortlink=" + link);
  CHECK(none->status == 403);
  auto missing = http.Get("/api/v1/paste/stats?shortlink=Nope123", {{"X-Delete-Token", token}});
  CHECK(missing->status == 404);
  // A short link's visits are its redirects.
  auto shortened = e.Cli({"shorten", "--json", "https://example.com/"});
  json link_json = json::parse(shortened.out);
  std::string short_link = link_json["shortlink"];
  http.Get("/" + short_link);
  http.Get("/" + short_link);
  auto api = http.Get("/api/v1/paste/stats?shortlink=" + short_link,
                      {{"X-Delete-Token", link_json["delete_token"].get<std::string>()}});
  REQUIRE(api->status == 200);
  CHECK(api->get_header_value("Cache-Control") == "no-store");
  CHECK(json::parse(api->body)["total_visits"] == 2);
}

}  // namespace
}  // namespace pastebin::testing
