// Expiry, gc and owner delete through the real binaries, with the daemon's
// clock read from a file the test moves (PASTED_FAKE_CLOCK_FILE).
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "common/clock.h"
#include "common/time_format.h"
#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

// An E2e whose daemon reads the time from dir/now, starting at the real time.
struct ClockedE2e {
  explicit ClockedE2e(std::vector<std::string> flags = {}) : now(SystemClock().NowSeconds()) {
    WriteFile(clock_dir / "now", std::to_string(now));
    e = std::make_unique<E2e>(std::move(flags), std::map<std::string, std::string>{
                                                    {"PASTED_FAKE_CLOCK_FILE", clock_dir / "now"}});
  }
  void Advance(int64_t seconds) {
    now += seconds;
    WriteFile(clock_dir / "now", std::to_string(now));
  }
  TempDir clock_dir;
  int64_t now;
  std::unique_ptr<E2e> e;
};

TEST_CASE("an expired paste is gone from every route before gc runs") {
  ClockedE2e c;
  E2e& e = *c.e;
  auto put = e.Cli({"put", "--expire", "1m"}, "short-lived\n");
  REQUIRE(put.exit_code == 0);
  std::string link = E2e::LinkOf(put.out);
  CHECK(e.Cli({"get", link}).out == "short-lived\n");
  c.Advance(59);
  CHECK(e.Cli({"get", link}).exit_code == 0);
  c.Advance(1);
  auto get = e.Cli({"get", link});
  CHECK(get.exit_code == 3);
  CHECK(get.err == "pastebin: error: paste " + link + " does not exist or has expired on " +
                       e.daemon.url() + "\n");
  auto http = e.Http();
  CHECK(http.Get("/" + link)->status == 404);
  CHECK(http.Get("/api/v1/paste?shortlink=" + link)->status == 404);
  CHECK(e.StoredBodies() == 1);  // still stored
}

TEST_CASE("gc deletes expired pastes and reports what it freed") {
  ClockedE2e c;
  E2e& e = *c.e;
  REQUIRE(e.Cli({"put", "--expire", "1m"}, "12345").exit_code == 0);
  REQUIRE(e.Cli({"put", "--expire", "2m"}, "1234567").exit_code == 0);
  auto keep = e.Cli({"put"}, "forever");
  REQUIRE(keep.exit_code == 0);
  c.Advance(120);

  auto gc = e.Cli({"gc"});
  CHECK(gc.exit_code == 0);
  CHECK(gc.out == "deleted 2 expired pastes and 0 orphaned bodies, freed 12 bytes\n");
  CHECK(e.StoredBodies() == 1);
  CHECK(e.Cli({"get", E2e::LinkOf(keep.out)}).out == "forever");

  auto again = e.Cli({"gc", "--json"});
  CHECK(again.exit_code == 0);
  CHECK(json::parse(again.out) ==
        json{{"deleted", 0}, {"bytes_freed", 0}, {"orphans_removed", 0}, {"missing_bodies", 0}});
}

TEST_CASE("gc tidies bodies left behind by a crash", "[sqlite]") {
  ClockedE2e c;
  E2e& e = *c.e;
  REQUIRE(e.Cli({"put"}, "real").exit_code == 0);
  // A body without a row, as a crash between write and commit leaves it.
  std::string shard = e.dir / "data/content/a/bc";
  REQUIRE(system(("mkdir -p " + shard).c_str()) == 0);
  WriteFile(shard + "/abc00000000000000000000000000000", "orphan!");
  auto fresh = e.Cli({"gc", "--json"});
  CHECK(json::parse(fresh.out)["orphans_removed"] == 0);  // too young yet
  c.Advance(2 * 3600);
  auto gc = e.Cli({"gc", "--json"});
  CHECK(json::parse(gc.out) ==
        json{{"deleted", 0}, {"bytes_freed", 7}, {"orphans_removed", 1}, {"missing_bodies", 0}});
  CHECK(e.StoredBodies() == 1);
}

TEST_CASE("get --json gives a paste's metadata and bytes, and delete --json says it went") {
  E2e e;
  std::string url = e.Cli({"put", "--expire", "1d"}, "two\r\nlines\n").out;
  url.pop_back();
  auto got = e.Cli({"get", "--json", url + "#L2"});
  REQUIRE(got.exit_code == 0);
  auto j = nlohmann::json::parse(got.out);
  CHECK(j["shortlink"] == E2e::LinkOf(url));
  CHECK(j["url"] == url);
  CHECK(j["paste_contents"] == "two\r\nlines\n");
  CHECK(j["bytes"] == 11);
  CHECK(j["expiration_length_in_minutes"] == 1440);
  CHECK(std::regex_match(j["created_at"].get<std::string>(),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  // A short link: its target.
  std::string link = e.Cli({"shorten", "https://example.com/x"}).out;
  link.pop_back();
  auto target = nlohmann::json::parse(e.Cli({"get", "--json", link}).out);
  CHECK(target["target"] == "https://example.com/x");
  CHECK(target["expires_at"].is_null());
  // An encrypted paste, opened.
  std::string sealed = e.Cli({"put", "--encrypt"}, "secret\n").out;
  sealed.pop_back();
  CHECK(nlohmann::json::parse(e.Cli({"get", "--json", sealed}).out)["paste_contents"] ==
        "secret\n");
  auto deleted = e.Cli({"delete", "--json", url});
  CHECK(deleted.exit_code == 0);
  CHECK(nlohmann::json::parse(deleted.out) ==
        nlohmann::json{{"shortlink", E2e::LinkOf(url)}, {"deleted", true}});
  // daemon status --json, for a data dir no pasted holds.
  auto status = e.Cli({"daemon", "status", "--json", "--data-dir", e.dir / "nothing"});
  CHECK(status.exit_code == 3);
  auto s = nlohmann::json::parse(status.out);
  CHECK(s["running"] == false);
  CHECK(s["pid"].is_null());
  // And for the one that serves this test.
  auto running = nlohmann::json::parse(
      e.Cli({"daemon", "status", "--json", "--data-dir", e.dir / "data"}).out);
  CHECK(running["running"] == true);
  CHECK(running["url"] == e.daemon.url());
}

TEST_CASE("list says why a state is unknown when the server is down") {
  E2e e;
  std::string url = e.Cli({"put"}, "kept\n").out;
  url.pop_back();
  REQUIRE(e.daemon.Stop() == 0);
  auto list = e.Cli({"list"});
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::Contains("unknown"));
  CHECK_THAT(list.err, Catch::Contains("pastebin: note: the state of pastes on " + e.daemon.url() +
                                       " is unknown: cannot reach the pastebin server"));
  // Unknown is not gone: the token is kept.
  CHECK_THAT(ReadFile(e.dir / "home/.local/state/pastebin/tokens"),
             Catch::Contains(E2e::LinkOf(url)));
}

TEST_CASE("delete uses the token put saved") {
  E2e e;
  auto put = e.Cli({"put"}, "regret");
  REQUIRE(put.exit_code == 0);
  std::string url = put.out.substr(0, put.out.size() - 1);
  auto del = e.Cli({"delete", url});
  CHECK(del.exit_code == 0);
  CHECK(del.out == "deleted " + E2e::LinkOf(url) + "\n");
  CHECK(e.Cli({"get", url}).exit_code == 3);
  CHECK(e.Http().Get("/api/v1/paste?shortlink=" + E2e::LinkOf(url))->status == 404);
  CHECK(e.StoredBodies() == 0);
  // Its token is forgotten with it.
  CHECK(ReadFile(e.dir / "home/.local/state/pastebin/tokens").find(E2e::LinkOf(url)) ==
        std::string::npos);
  auto twice = Run({BinaryPath("pastebin"), "--server", e.daemon.url(), "delete", url}, "",
                   {{"HOME", e.dir / "home"}, {"PASTEBIN_DELETE_TOKEN", "00"}});
  CHECK(twice.exit_code == 3);
  // With no token to give: it says the paste is gone, and asks for none.
  auto again = e.Cli({"delete", url});
  CHECK(again.exit_code == 3);
  CHECK(again.err == "pastebin: error: paste " + E2e::LinkOf(url) + " does not exist on " +
                         e.daemon.url() +
                         " (deleted already, or expired): there is nothing to delete\n");
}

TEST_CASE("list shows your pastes with their times and state and forgets gone ones") {
  ClockedE2e c;
  E2e& e = *c.e;
  auto empty = e.Cli({"list"});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.find("no pastes saved yet") == 0);
  std::string kept = e.Cli({"put"}, "kept\n").out;
  std::string brief = e.Cli({"put", "--expire", "1m"}, "brief\n").out;
  std::string link = e.Cli({"shorten", "https://example.com/"}).out;
  REQUIRE(!kept.empty());
  REQUIRE(!brief.empty());
  REQUIRE(!link.empty());
  std::string created = FormatRfc3339(c.now);
  auto list = e.Cli({"list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out.find("URL") == 0);
  CHECK(list.out.find(kept.substr(0, kept.size() - 1) + "  " + created + "  never") !=
        std::string::npos);
  CHECK(list.out.find(brief.substr(0, brief.size() - 1) + "  " + created + "  " +
                      FormatRfc3339(c.now + 60) + "  there") != std::string::npos);
  CHECK(list.out.find(link.substr(0, link.size() - 1)) != std::string::npos);
  // Listing is no visit.
  CHECK(e.Cli({"stats"}).out.find("no visits yet") == 0);

  c.Advance(60);
  auto json_list = e.Cli({"list", "--json"});
  CHECK(json_list.exit_code == 0);
  std::map<std::string, std::string> states;
  std::istringstream lines(json_list.out);
  for (std::string line; std::getline(lines, line);) {
    json j = json::parse(line);
    states[j["shortlink"]] = j["state"];
    CHECK(j["created_at"] == created);
  }
  CHECK(states == std::map<std::string, std::string>{{E2e::LinkOf(kept), "there"},
                                                     {E2e::LinkOf(brief), "gone"},
                                                     {E2e::LinkOf(link), "there"}});
  // Gone is forgotten: the next list no longer shows it.
  auto after = e.Cli({"list"});
  CHECK(after.out.find(E2e::LinkOf(brief)) == std::string::npos);
  CHECK(after.out.find(E2e::LinkOf(kept)) != std::string::npos);

  // A server that cannot be reached leaves everything as it is.
  e.daemon.Stop();
  auto away = e.Cli({"list", "--json"});
  CHECK(away.exit_code == 0);
  CHECK(away.out.find("\"state\":\"unknown\"") != std::string::npos);
  CHECK(away.out.find("\"state\":\"there\"") == std::string::npos);
  CHECK(ReadFile(e.dir / "home/.local/state/pastebin/tokens").find(E2e::LinkOf(kept)) !=
        std::string::npos);
}

TEST_CASE("list shows the file each paste came from and whether it burns or is encrypted") {
  E2e e;
  WriteFile(e.dir / "notes.txt", "notes\n");
  REQUIRE(e.Cli({"put", e.dir / "notes.txt"}).exit_code == 0);
  REQUIRE(e.Cli({"put", "--burn"}, "once\n").exit_code == 0);
  REQUIRE(e.Cli({"put", "--encrypt", "--burn", e.dir / "notes.txt"}).exit_code == 0);
  REQUIRE(e.Cli({"shorten", "https://example.com/"}).exit_code == 0);
  auto list = e.Cli({"list"});
  REQUIRE(list.exit_code == 0);
  std::vector<std::string> lines;
  std::istringstream in(list.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 5);
  CHECK(std::regex_search(lines[0], std::regex("STATE +KIND +NAME$")));
  CHECK(std::regex_search(lines[1], std::regex(" there +paste +" + (e.dir / "notes.txt") + "$")));
  CHECK(std::regex_search(lines[2], std::regex(" there +paste,burns +-$")));
  CHECK(std::regex_search(
      lines[3], std::regex(" there +paste,burns,encrypted +" + (e.dir / "notes.txt") + "$")));
  CHECK(std::regex_search(lines[4], std::regex(" there +link +-$")));
  // Listing burns nothing.
  CHECK(e.Cli({"get", E2e::LinkOf(lines[2].substr(0, lines[2].find(' ')))}).out == "once\n");
  auto json_list = e.Cli({"list", "--json"});
  std::vector<json> rows;
  std::istringstream json_lines(json_list.out);
  for (std::string line; std::getline(json_lines, line);) rows.push_back(json::parse(line));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0]["name"] == (e.dir / "notes.txt"));
  CHECK(rows[0]["kind"] == "paste");
  CHECK(rows[0]["burns"] == false);
  CHECK(rows[1]["name"].is_null());
  CHECK(rows[1]["state"] == "gone");  // read just now: burned
  CHECK(rows[2]["encrypted"] == true);
  CHECK(rows[2]["burns"] == true);
  CHECK(rows[3]["kind"] == "link");
}

TEST_CASE("a burned paste's reader is told it is gone, and asking again says it burned") {
  E2e e;
  std::string url = e.Cli({"put", "--burn"}, "once\n").out;
  REQUIRE(!url.empty());
  url.pop_back();
  auto first = e.Cli({"get", url});
  CHECK(first.exit_code == 0);
  CHECK(first.out == "once\n");
  CHECK_THAT(first.err, Catch::Contains("burned after reading: this was its one reading"));
  auto again = e.Cli({"get", url});
  CHECK(again.exit_code == 3);
  CHECK(again.out.empty());
  CHECK_THAT(again.err, Catch::Contains("paste " + E2e::LinkOf(url) +
                                        " burned after reading: it was read here at 20"));
  CHECK_THAT(e.Cli({"get", "--json", url}).err, Catch::Contains("it was read here at"));
  // Read by someone else: its maker is told it was made to burn.
  std::string other = e.Cli({"put", "--burn"}, "theirs\n").out;
  other.pop_back();
  auto taken = e.Http().Post("/burn/" + E2e::LinkOf(other), "", "text/plain");
  CHECK(taken->get_header_value("X-Burned") == "yes");
  auto mine = e.Cli({"get", other});
  CHECK(mine.exit_code == 3);
  CHECK_THAT(mine.err, Catch::Contains("you made it to burn after reading"));
  // A paste that never was is still just missing.
  CHECK_THAT(e.Cli({"get", "Nope123"}).err, Catch::Contains("does not exist"));
  // Only a reading is marked: a paste that does not burn has no X-Burned.
  std::string plain = e.Cli({"put"}, "stays\n").out;
  CHECK(e.Http().Get("/" + E2e::LinkOf(plain))->get_header_value("X-Burned").empty());
}

TEST_CASE("json output is a JSON line per paste naming its file with RFC 3339 times") {
  ClockedE2e c;
  E2e& e = *c.e;
  WriteFile(e.dir / "a.txt", "a\n");
  WriteFile(e.dir / "b.txt", "b\n");
  auto put = e.Cli({"put", "--json", "--expire", "2h", e.dir / "a.txt", "-", e.dir / "b.txt"},
                   "from stdin\n");
  REQUIRE(put.exit_code == 0);
  std::vector<json> lines;
  std::istringstream in(put.out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["file"] == e.dir / "a.txt");
  CHECK(lines[1]["file"] == "-");
  CHECK(lines[2]["file"] == e.dir / "b.txt");
  CHECK(lines[0]["created_at"] == FormatRfc3339(c.now));
  CHECK(lines[0]["expires_at"] == FormatRfc3339(c.now + 7200));
  CHECK(e.Cli({"get", lines[1]["shortlink"]}).out == "from stdin\n");
  // The API's create answer says the same; the chapter's GET keeps its form.
  auto created = e.Http().Post("/api/v1/paste", R"({"paste_contents": "x"})", "application/json");
  REQUIRE(created);
  CHECK(json::parse(created->body)["created_at"] == FormatRfc3339(c.now));
  auto view = e.Http().Get("/api/v1/paste?shortlink=" + lines[0]["shortlink"].get<std::string>());
  CHECK(json::parse(view->body)["created_at"] == FormatUtc(c.now));
  auto link = e.Cli({"shorten", "--json", "https://example.com/"});
  CHECK(json::parse(link.out)["created_at"] == FormatRfc3339(c.now));
  CHECK(json::parse(link.out)["target"] == "https://example.com/");

  // With --json, failures are JSON too, on standard error.
  auto missing = e.Cli({"put", "--json", e.dir / "nope"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.out.empty());
  json err = json::parse(missing.err);
  CHECK(err["error"]["code"] == "failure");
  CHECK(err["error"]["exit_status"] == 1);
  CHECK(err["error"]["message"].get<std::string>().find("cannot read " + e.dir / "nope") == 0);
  auto usage = e.Cli({"put", "--json", "--expire", "soon"});
  CHECK(usage.exit_code == 2);
  CHECK(json::parse(usage.err)["error"]["code"] == "usage");
  auto gone = e.Cli({"stats", "--json", "--month", "nope"});
  CHECK(json::parse(gone.err)["error"]["exit_status"] == 2);
}

TEST_CASE("delete with a wrong token is refused and the paste stays") {
  E2e e;
  auto put = e.Cli({"put"}, "mine");
  std::string link = E2e::LinkOf(put.out);
  auto del = e.Cli({"delete", link, "--token-file", "-"}, "00000000000000000000000000000000\n");
  CHECK(del.exit_code == 5);
  CHECK(del.out.empty());
  CHECK(del.err ==
        "pastebin: error: wrong delete token for paste " + link + "; nothing was deleted\n");
  CHECK(e.Cli({"get", link}).out == "mine");
}

TEST_CASE("delete without a saved token is a usage error") {
  E2e e;
  auto put = e.Cli({"put"}, "x");
  std::string link = E2e::LinkOf(put.out);
  // Another user (another HOME) has no token for it.
  auto del = Run({BinaryPath("pastebin"), "--server", e.daemon.url(), "delete", link}, "",
                 {{"HOME", e.dir / "other-home"}});
  CHECK(del.exit_code == 2);
  CHECK(del.err == "pastebin: error: no delete token saved for " + link + " in " +
                       (e.dir / "other-home/.local/state/pastebin/tokens") +
                       "; give it with --token-file FILE or PASTEBIN_DELETE_TOKEN (put --json "
                       "prints it)\n");
  CHECK(e.Cli({"get", link}).exit_code == 0);
}

TEST_CASE("DELETE answers 204, 403 and 404") {
  E2e e;
  auto http = e.Http();
  auto created = json::parse(
      http.Post("/api/v1/paste", R"({"paste_contents": "x"})", "application/json")->body);
  std::string path = "/api/v1/paste?shortlink=" + created["shortlink"].get<std::string>();
  auto none = http.Delete(path);
  CHECK(none->status == 403);
  CHECK(json::parse(none->body)["error"]["code"] == "forbidden");
  auto wrong = http.Delete(path, {{"X-Delete-Token", "nope"}});
  CHECK(wrong->status == 403);
  auto right = http.Delete(path, {{"X-Delete-Token", created["delete_token"]}});
  CHECK(right->status == 204);
  CHECK(right->body.empty());
  auto gone = http.Delete(path, {{"X-Delete-Token", created["delete_token"]}});
  CHECK(gone->status == 404);
  CHECK(http.Delete("/api/v1/paste")->status == 400);
}

TEST_CASE("admin routes refuse proxied clients unless they bring the token") {
  E2e e({"--admin-token", "s3cret"});
  auto http = e.Http();
  httplib::Headers proxied = {{"X-Forwarded-For", "203.0.113.9"}};
  auto refused = http.Post("/api/v1/admin/gc", proxied, "", "application/json");
  CHECK(refused->status == 403);
  CHECK(json::parse(refused->body)["error"]["code"] == "forbidden");
  proxied.emplace("Authorization", "Bearer s3cret");
  CHECK(http.Post("/api/v1/admin/gc", proxied, "", "application/json")->status == 200);
  // The CLI sends the token from the environment.
  auto gc = Run({BinaryPath("pastebin"), "--server", e.daemon.url(), "gc"}, "",
                {{"HOME", e.dir / "home"}, {"PASTEBIN_ADMIN_TOKEN", "s3cret"}});
  CHECK(gc.exit_code == 0);
}

TEST_CASE("the server's expiry limits reach the CLI user") {
  E2e e({"--default-expiry", "1h", "--max-expiry", "1d"});
  auto defaulted = e.Cli({"put", "--json"}, "x");
  REQUIRE(defaulted.exit_code == 0);
  CHECK(json::parse(defaulted.out)["expiration_length_in_minutes"] == 60);
  auto too_long = e.Cli({"put", "--expire", "2d"}, "x");
  CHECK(too_long.exit_code == 5);
  CHECK(too_long.err ==
        "pastebin: error: expiry 2d is longer than this server allows; "
        "choose one up to 1d\n");
  auto never = e.Cli({"put", "--expire", "never"}, "x");
  CHECK(never.exit_code == 5);
  CHECK(never.err ==
        "pastebin: error: this server does not keep pastes forever; choose "
        "an expiry up to 1d\n");
}

// Regression: the form selected no option when max_expiry was set and
// default_expiry was not, so a browser's paste got the first choice (10
// minutes) while the API's default was the maximum.
TEST_CASE("with max_expiry and no default_expiry, every way in defaults to the maximum") {
  E2e e({"--max-expiry", "7d"});
  auto http = e.Http();
  auto info = http.Get("/api/v1/info");
  REQUIRE(info);
  CHECK(json::parse(info->body)["default_expiry_minutes"] == 7 * 24 * 60);
  // The home page offers the maximum and chooses it.
  auto home = http.Get("/", {{"Accept", "text/html"}});
  REQUIRE(home);
  CHECK(home->body.find("<option value=\"1w\" selected>1 week</option>") != std::string::npos);
  CHECK(home->body.find("<option value=\"never\"") == std::string::npos);
  // The API without an expiry.
  auto api = http.Post("/api/v1/paste", R"({"paste_contents": "x"})", "application/json");
  REQUIRE(api);
  REQUIRE(api->status == 201);
  CHECK(json::parse(api->body)["expiration_length_in_minutes"] == 7 * 24 * 60);
  // The form as a browser posts it (the selected option), and without one.
  for (std::string body : {"content=x&expire=1w", "content=x", "content=x&expire="}) {
    INFO(body);
    auto form = http.Post("/form", body, "application/x-www-form-urlencoded");
    REQUIRE(form);
    REQUIRE(form->status == 201);
    auto read = http.Get("/api/v1/paste?shortlink=" + E2e::LinkOf(form->body));
    REQUIRE(read);
    CHECK(json::parse(read->body)["expiration_length_in_minutes"] == 7 * 24 * 60);
  }
  // And the CLI.
  auto put = e.Cli({"put", "--json"}, "x");
  REQUIRE(put.exit_code == 0);
  CHECK(json::parse(put.out)["expiration_length_in_minutes"] == 7 * 24 * 60);
}

TEST_CASE("a default expiry longer than the maximum stops start-up") {
  TempDir dir;
  auto r = Run({BinaryPath("pasted"), "--data-dir", dir / "d", "--default-expiry", "2d",
                "--max-expiry", "1d"});
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "pasted: error: default_expiry (2d) is longer than max_expiry (1d); "
        "shorten it or raise max_expiry\n");
}

// GETs url from n threads at once; the bodies of the 200s, and how many
// answers were 404.
std::pair<std::vector<std::string>, int> RaceReads(E2e& e, const std::string& path, int n) {
  std::vector<std::thread> readers;
  std::vector<int> status(n, 0);
  std::vector<std::string> body(n);
  std::atomic<int> ready{0};
  for (int i = 0; i < n; ++i) {
    readers.emplace_back([&, i] {
      auto http = e.Http();
      ready++;
      while (ready < n) std::this_thread::yield();  // all at once
      auto r = http.Get(path);
      if (r) {
        status[i] = r->status;
        body[i] = r->body;
      }
    });
  }
  for (auto& t : readers) t.join();
  std::vector<std::string> served;
  int missing = 0;
  for (int i = 0; i < n; ++i) {
    if (status[i] == 200) served.push_back(body[i]);
    if (status[i] == 404) missing++;
  }
  return {served, missing};
}

TEST_CASE("burn after reading serves a paste once, to exactly one of racing readers") {
  E2e e;
  auto put = e.Cli({"put", "--burn"}, "read me once\n");
  REQUIRE(put.exit_code == 0);
  std::string link = E2e::LinkOf(put.out);
  auto http = e.Http();
  // Looking is not reading: a HEAD, pastebin list, a browser's first page.
  auto head = http.Head("/" + link);
  CHECK(head->status == 200);
  CHECK(head->get_header_value("Cache-Control") == "no-store");
  CHECK_THAT(e.Cli({"list"}).out, Catch::Contains(link));
  auto page = http.Get("/" + link, {{"Accept", "text/html"}});
  CHECK(page->status == 200);
  CHECK_THAT(page->body,
             Catch::Contains("id=\"burn\">This paste will be deleted when you open it"));
  CHECK_THAT(page->body, Catch::Contains("<form method=\"post\" action=\"/burn/" + link + "\">"));
  CHECK(page->body.find("read me once") == std::string::npos);
  // A link preview (Accept: */*) only gets a notice.
  auto preview =
      http.Get("/" + link, {{"Accept", "*/*"}, {"User-Agent", "Slackbot-LinkExpanding 1.0"}});
  CHECK(preview->status == 409);
  CHECK_THAT(preview->body, Catch::Contains("burns after reading"));
  // Eight readers asking outright at once: one gets it, seven a 404.
  auto [served, missing] = RaceReads(e, "/" + link + "?burn=yes", 8);
  CHECK(served == std::vector<std::string>{"read me once\n"});
  CHECK(missing == 7);
  CHECK(e.Cli({"get", link}).exit_code == 3);
  CHECK(e.StoredBodies() == 0);
  // The read was a visit.
  CHECK_THAT(e.Cli({"stats", "--month", ThisMonth()}).out, Catch::Contains(link));
}

TEST_CASE("burn after reading through the API, the form, raw uploads and haste") {
  E2e e({"--inline-max-bytes", "1K"});
  auto http = e.Http();
  SECTION("the JSON API, with a body kept as a file") {
    std::string big(5000, 'b');
    auto created = http.Post("/api/v1/paste",
                             json{{"paste_contents", big}, {"burn_after_reading", true}}.dump(),
                             "application/json");
    REQUIRE(created->status == 201);
    std::string link = json::parse(created->body)["shortlink"];
    CHECK(e.StoredBodies() == 1);
    CHECK(http.Get("/api/v1/paste?shortlink=" + link)->status == 409);  // not outright
    auto [served, missing] = RaceReads(e, "/api/v1/paste?shortlink=" + link + "&burn=yes", 4);
    REQUIRE(served.size() == 1);
    CHECK(json::parse(served[0])["paste_contents"] == big);
    CHECK(missing == 3);
    CHECK(e.StoredBodies() == 0);
    auto bad = http.Post("/api/v1/paste", R"({"paste_contents": "x", "burn_after_reading": "yes"})",
                         "application/json");
    CHECK(bad->status == 400);
    CHECK_THAT(bad->body, Catch::Contains("burn_after_reading"));
  }
  SECTION("the form's checkbox and the page's button") {
    httplib::Headers browser = {{"Accept", "text/html"}};
    auto created = http.Post("/form", browser, "content=for+your+eyes&burn=on",
                             "application/x-www-form-urlencoded");
    REQUIRE(created->status == 303);
    std::string location = created->get_header_value("Location");
    std::string link = location.substr(location.find("/created/") + 9, 7);
    // The created page does not show a burning paste's text, nor burn it.
    auto page = http.Get("/created/" + link, browser);
    CHECK(page->status == 200);
    CHECK_THAT(page->body, Catch::Contains("id=\"burns\""));
    CHECK_THAT(page->body, !Catch::Contains("for your eyes"));
    auto opened = http.Post("/burn/" + link, browser, "", "application/x-www-form-urlencoded");
    CHECK(opened->status == 200);
    CHECK(opened->get_header_value("Cache-Control") == "no-store");
    CHECK_THAT(opened->body, Catch::Contains("id=\"burned\""));
    CHECK_THAT(opened->body, Catch::Contains("for your eyes"));
    auto again = http.Post("/burn/" + link, browser, "", "application/x-www-form-urlencoded");
    CHECK(again->status == 404);
    CHECK_THAT(again->body, Catch::Contains("<h2 id=\"error\">Not found</h2>"));
  }
  SECTION("a raw upload with ?burn=1, read by /raw/X") {
    auto created = http.Post("/?burn=1", "raw once", "application/octet-stream");
    REQUIRE(created->status == 201);
    std::string link = E2e::LinkOf(created->body);
    CHECK(http.Get("/raw/" + link)->status == 409);
    CHECK(http.Post("/burn/" + link, "", "text/plain")->body == "raw once");  // curl -X POST
    CHECK(http.Get("/raw/" + link + "?burn=yes")->status == 404);
    CHECK(http.Post("/?burn=maybe", "x", "text/plain")->status == 400);
  }
  SECTION("haste's API reads it once") {
    auto created =
        http.Post("/form", "content=haste+once&burn=yes", "application/x-www-form-urlencoded");
    std::string link = E2e::LinkOf(created->body);
    auto notice = http.Get("/documents/" + link);
    CHECK(notice->status == 409);
    CHECK_THAT(json::parse(notice->body)["message"].get<std::string>(),
               Catch::Contains("burns after reading"));
    CHECK(json::parse(http.Get("/documents/" + link + "?burn=yes")->body)["data"] == "haste once");
    CHECK(http.Get("/documents/" + link + "?burn=yes")->status == 404);
  }
  SECTION("a paste that does not burn is read as often as anyone likes") {
    std::string link = E2e::LinkOf(e.Cli({"put"}, "many times").out);
    for (int i = 0; i < 3; ++i) CHECK(http.Get("/" + link)->body == "many times");
    auto sent_on = http.Post("/burn/" + link, "", "application/x-www-form-urlencoded");
    CHECK(sent_on->status == 303);
    CHECK(http.Get("/" + link)->status == 200);
  }
}

}  // namespace
}  // namespace pastebin::testing
