// pasted backup while pasted serves, and pasted restore into a new data
// dir: what was acknowledged before the backup began comes back byte for
// byte, with its delete token and its visits.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/fixture.h"

namespace pastebin::testing {
namespace {

struct Created {
  std::string link, token, body;
};

Created Create(httplib::Client& http, const std::string& body) {
  auto r = http.Post("/api/v1/paste", nlohmann::json{{"paste_contents", body}}.dump(),
                     "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  auto j = nlohmann::json::parse(r->body);
  return {j["shortlink"], j["delete_token"], body};
}

RunResult Pasted(std::vector<std::string> args) {
  args.insert(args.begin(), BinaryPath("pasted"));
  return Run(args);
}

TEST_CASE(
    "pasted backup while writes go on, restored into a new data dir, loses nothing acknowledged "
    "before it") {
  // Large bodies (over 1K) are files beside the database: both kinds.
  E2e a({"--inline-max-bytes", "1K"});
  httplib::Client http = a.Http();
  std::vector<Created> before;
  for (int i = 0; i < 60; ++i) {
    before.push_back(
        Create(http, i % 3 == 0 ? Noise(3000 + i, i) : "small " + std::to_string(i) + "\n"));
  }
  for (size_t i = 0; i < before.size(); i += 2) {
    for (int v = 0; v < 2; ++v) REQUIRE(http.Get("/raw/" + before[i].link)->status == 200);
  }
  // Visits are rolled up into the database before the backup.
  REQUIRE(a.Cli({"stats"}).exit_code == 0);
  auto stats = nlohmann::json::parse(a.Cli({"stats", "--json", "--month", ThisMonth()}).out);
  REQUIRE(stats["total_visits"] == 60);

  std::atomic<bool> stop{false};
  std::atomic<int> during{0};
  std::thread writer([&] {
    httplib::Client w = a.Http();
    for (int i = 0; !stop; ++i) {
      auto r =
          w.Post("/api/v1/paste", nlohmann::json{{"paste_contents", Noise(2000, 1000 + i)}}.dump(),
                 "application/json");
      during += r && r->status == 201;
    }
  });
  REQUIRE(WaitUntil([&] { return during >= 20; }));
  std::string dest = a.dir / "backup-1";
  RunResult backup = Pasted({"backup", dest, "--data-dir", a.dir / "data"});
  stop = true;
  writer.join();
  INFO(backup.err);
  REQUIRE(backup.exit_code == 0);
  CHECK_THAT(backup.out, Catch::StartsWith("backed up "));
  CHECK(during > 20);  // writes went on while it ran

  std::string fresh = a.dir / "restored";
  RunResult restore = Pasted({"restore", dest, "--data-dir", fresh});
  INFO(restore.err);
  REQUIRE(restore.exit_code == 0);
  CHECK_THAT(restore.out, Catch::StartsWith("restored "));
  // Restoring again over it is refused, and says why.
  RunResult again = Pasted({"restore", dest, "--data-dir", fresh});
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::Contains("already holds pastes (pastes.db); restore into a new"));
  // So is a backup over an existing folder.
  RunResult over = Pasted({"backup", dest, "--data-dir", a.dir / "data"});
  CHECK(over.exit_code == 1);
  CHECK_THAT(over.err, Catch::Contains("already exists; name a new folder"));

  a.daemon.Stop();  // the restored copy alone answers now
  Daemon b(fresh);
  b.Start();
  httplib::Client restored(b.url());
  // Visits as they were (asked before the reads below, which are visits).
  auto month = nlohmann::json::parse(
      Run({BinaryPath("pastebin"), "--server", b.url(), "stats", "--json", "--month", ThisMonth()},
          "", {{"HOME", a.dir / "home"}, {"PASTEBIN_ADMIN_TOKEN_FILE", fresh + "/admin.token"}})
          .out);
  CHECK(month["total_visits"] == stats["total_visits"]);
  CHECK(month["pastes_visited"] == stats["pastes_visited"]);
  for (const Created& c : before) {
    auto got = restored.Get("/raw/" + c.link);
    REQUIRE(got);
    CHECK(got->status == 200);
    CHECK(got->body == c.body);
  }
  // Delete tokens work on the restored copy, for a file body and an inline one.
  for (const Created* c : {&before[0], &before[1]}) {
    auto deleted = restored.Delete("/api/v1/paste?shortlink=" + c->link,
                                   httplib::Headers{{"X-Delete-Token", c->token}});
    REQUIRE(deleted);
    CHECK(deleted->status == 204);
    CHECK(restored.Get("/raw/" + c->link)->status == 404);
  }
  // No row in the restored copy lacks its body (gc would say so).
  auto gc = Run({BinaryPath("pastebin"), "--server", b.url(), "gc", "--json"}, "",
                {{"HOME", a.dir / "home"}, {"PASTEBIN_ADMIN_TOKEN_FILE", fresh + "/admin.token"}});
  INFO(gc.out << gc.err);
  REQUIRE(gc.exit_code == 0);
  CHECK(nlohmann::json::parse(gc.out)["missing_bodies"] == 0);
}

TEST_CASE("pasted restore refuses what is not a backup, and a damaged one, saying what to do") {
  TempDir dir;
  REQUIRE(mkdir((dir / "nothing").c_str(), 0700) == 0);
  RunResult none = Pasted({"restore", dir / "nothing", "--data-dir", dir / "data"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("no BACKUP in " + dir / "nothing" +
                                       "; name a folder made by pasted backup"));
  // A backup whose body file went missing: refused, nothing half-restored.
  E2e a({"--inline-max-bytes", "1K"});
  httplib::Client http = a.Http();
  Create(http, Noise(5000, 7));
  REQUIRE(Pasted({"backup", dir / "b", "--data-dir", a.dir / "data"}).exit_code == 0);
  RunResult files = Run({"/usr/bin/find", dir / "b/content", "-type", "f"});
  REQUIRE(!files.out.empty());
  REQUIRE(unlink(files.out.substr(0, files.out.find('\n')).c_str()) == 0);
  RunResult damaged = Pasted({"restore", dir / "b", "--data-dir", dir / "data2"});
  CHECK(damaged.exit_code == 1);
  CHECK_THAT(damaged.err, Catch::Contains("cannot read " + dir / "b/content/"));
  CHECK(access((dir / "data2/pastes.db").c_str(), F_OK) != 0);
  // Mended, the same restore into the same dir goes through.
  REQUIRE(Pasted({"backup", dir / "b2", "--data-dir", a.dir / "data"}).exit_code == 0);
  RunResult mended = Pasted({"restore", dir / "b2", "--data-dir", dir / "data2"});
  INFO(mended.err);
  CHECK(mended.exit_code == 0);
  // And with store postgres there is nothing of pasted's to copy.
  RunResult pg = Pasted({"backup", dir / "c", "--data-dir", dir / "data3", "--store", "postgres",
                         "--postgres-url", "host=127.0.0.1 port=1"});
  CHECK(pg.exit_code == 1);
  CHECK_THAT(pg.err, Catch::Contains("back up PostgreSQL (pgBackRest"));
}

}  // namespace
}  // namespace pastebin::testing
