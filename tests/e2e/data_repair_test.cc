// The data converges after failures: no row outlives its body, whatever
// failed. A real pasted, a real SQLite file, and a failing disk simulated
// by a preloaded library (tests/support/fail_sync.cc).
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>
#include <vector>

#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

// The environment that makes pasted's syncs of files whose names end in
// suffix fail with EIO while the file trigger exists
// (tests/support/fail_sync.cc).
std::map<std::string, std::string> FailingSyncs(const std::string& trigger,
                                                const std::string& suffix) {
  return {{"LD_PRELOAD", PASTEBIN_FAIL_SYNC_LIB},
          {"PASTED_FAIL_SYNC_FILE", trigger},
          {"PASTED_FAIL_SYNC_SUFFIX", suffix},
          {"ASAN_OPTIONS", "verify_asan_link_order=0:detect_leaks=0"}};
}

TEST_CASE("a failed WAL sync stops pasted, and leaves no row without its body") {
  // Regression: a failed WAL fsync answered 500 and removed the body, but
  // SQLite replayed the written frames after the crash: a row without a
  // body, 404 forever, never collected. Bodies are files here, which can be
  // lost.
  TempDir dir;
  std::string trigger = dir / "fail-syncs";
  Daemon d(dir / "data", {"--inline-max-bytes", "0"}, FailingSyncs(trigger, "-wal"));
  d.Start();
  httplib::Client c(d.url());
  auto good = c.Post("/api/v1/paste", R"({"paste_contents": "kept"})", "application/json");
  REQUIRE(good);
  REQUIRE(good->status == 201);
  json kept = json::parse(good->body);

  WriteFile(trigger, "");
  // A delete commits with its own sync: it fails, and is answered 500.
  auto deleted = c.Delete("/api/v1/paste?shortlink=" + kept["shortlink"].get<std::string>(),
                          httplib::Headers{{"X-Delete-Token", kept["delete_token"]}});
  REQUIRE(deleted);
  CHECK(deleted->status == 500);
  // The client is told no paths and no SQLite words, only where to look.
  std::string message = json::parse(deleted->body)["error"]["message"];
  CHECK_THAT(message, Catch::StartsWith("the server failed to handle this request; its "
                                        "operator can look it up (request id "));
  CHECK(message.find('/') == std::string::npos);
  CHECK_THAT(d.log(), Catch::Contains("request id "));
  CHECK_THAT(d.log(), Catch::Contains("disk I/O error"));
  // New pastes are committed first and synced apart: a failed sync then
  // cannot be answered (the rows are visible already), so pasted stops.
  auto doomed = c.Post("/api/v1/paste", R"({"paste_contents": "doomed"})", "application/json");
  CHECK_FALSE(doomed);
  CHECK(d.WaitForExit(std::chrono::seconds(10)) == 1);
  CHECK_THAT(d.log(), Catch::Contains("syncing the write-ahead log"));
  CHECK_THAT(d.log(), Catch::Contains(
                          "may not be on the disk, so pasted stops without closing the database"));

  unlink(trigger.c_str());
  Daemon after(dir / "data");
  after.Start();
  httplib::Client again(after.url());
  // Whatever SQLite replayed, every row has its body; the delete that
  // failed took nothing away.
  std::vector<PasteRow> rows = PasteRows(dir / "data");
  REQUIRE(rows.size() >= 1);
  for (const PasteRow& row : rows) {
    INFO(row.shortlink);
    auto r = again.Get("/" + row.shortlink);
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  auto still = again.Get("/raw/" + kept["shortlink"].get<std::string>());
  REQUIRE(still);
  CHECK(still->status == 200);
  CHECK(still->body == "kept");
}

// Starts a pasted on data_dir, checks that every paste reads back exactly,
// and stops it.
void CheckServedAfterRestart(const std::string& data_dir,
                             const std::vector<std::pair<std::string, std::string>>& pastes) {
  Daemon after(data_dir);
  after.Start();
  httplib::Client again(after.url());
  for (const auto& [link, body] : pastes) {
    INFO(link);
    auto r = again.Get("/" + link);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->body == body);
  }
  CHECK(after.Stop() == 0);
}

TEST_CASE("a failed sync of the database stops pasted, and its next start loses nothing") {
  // After a failed fdatasync the kernel may mark the pages clean unwritten;
  // carrying on, a later sync succeeds, the WAL is started over and they
  // are gone. pasted stops instead, without closing the database, and the
  // next start copies them again from the WAL.
  TempDir dir;
  std::string trigger = dir / "fail-syncs";
  Daemon d(dir / "data", {"--wal-limit", "1M"}, FailingSyncs(trigger, "/pastes.db"));
  d.Start();
  WriteFile(trigger, "");
  // Writers of 1 KiB pastes that do not compress, until pasted is gone:
  // the WAL passes half its limit within a few hundred, and the
  // checkpoints then sync the database.
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> acknowledged;
  std::atomic<bool> gone{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      httplib::Client c(d.url());
      uint64_t x = 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(w + 1);
      for (int i = 0; i < 20000 && !gone; ++i) {
        std::string body = std::to_string(w) + ":" + std::to_string(i) + ":";
        while (body.size() < 1024) {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17;
          body += "0123456789abcdef"[x & 15];
        }
        auto r = c.Post("/api/v1/paste", json{{"paste_contents", body}}.dump(), "application/json");
        if (!r) {
          gone = true;
        } else if (r->status == 201) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.emplace_back(json::parse(r->body)["shortlink"], body);
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  REQUIRE(gone);
  CHECK(d.WaitForExit(std::chrono::seconds(10)) == 1);
  CHECK_THAT(d.log(), Catch::Contains("pasted: error: "));
  CHECK_THAT(d.log(), Catch::Contains(
                          "may not be on the disk, so pasted stops without closing the database"));
  REQUIRE(!acknowledged.empty());

  unlink(trigger.c_str());
  CheckServedAfterRestart(dir / "data", acknowledged);
}

TEST_CASE("a failed sync of the database as pasted starts stops it before it serves") {
  // Killed, pasted leaves its last pastes in the WAL; the next start
  // checkpoints them at once, and a failed sync there must not go on to a
  // close that starts the WAL over.
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> pastes;
  Daemon before(dir / "data");
  before.Start();
  httplib::Client c(before.url());
  for (int i = 0; i < 50; ++i) {
    std::string body = "paste " + std::to_string(i) + "\n";
    auto r = c.Post("/api/v1/paste", json{{"paste_contents", body}}.dump(), "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 201);
    pastes.emplace_back(json::parse(r->body)["shortlink"], body);
  }
  before.Kill();

  std::string trigger = dir / "fail-syncs";
  WriteFile(trigger, "");
  Daemon failing(dir / "data", {}, FailingSyncs(trigger, "/pastes.db"));
  CHECK_THROWS_WITH(
      failing.Start(),
      Catch::Contains("may not be on the disk, so pasted stops without closing the database"));

  unlink(trigger.c_str());
  CheckServedAfterRestart(dir / "data", pastes);
}

TEST_CASE("a paste whose body was lost is removed by the next read and by gc") {
  E2e e({"--inline-max-bytes", "0"});  // bodies as files, which can be lost
  auto one = e.Cli({"put"}, "first");
  auto two = e.Cli({"put"}, "second");
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  for (const PasteRow& row : PasteRows(e.dir / "data")) {
    REQUIRE(unlink((e.dir / "data/" + row.paste_path).c_str()) == 0);
  }
  // A read finds out and repairs.
  auto got = e.Cli({"get", E2e::LinkOf(one.out)});
  CHECK(got.exit_code == 3);
  CHECK(PasteRows(e.dir / "data").size() == 1);
  // gc finds the other one.
  auto gc = e.Cli({"gc", "--json"});
  REQUIRE(gc.exit_code == 0);
  CHECK(json::parse(gc.out)["missing_bodies"] == 1);
  CHECK(PasteRows(e.dir / "data").empty());
  CHECK_THAT(e.daemon.log(), Catch::Contains("had lost its body"));
}

}  // namespace
}  // namespace pastebin::testing
