// The data converges after failures: no row outlives its body, whatever
// failed. A real pasted, a real SQLite file, and a failing disk simulated
// by a preloaded library (tests/support/fail_sync.cc).
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

TEST_CASE("a failed WAL sync leaves no row without its body after a crash") {
  // Regression: a failed WAL fsync answered 500 and removed the body, but
  // SQLite replayed the written frames after the crash: a row without a
  // body, 404 forever, never collected.
  TempDir dir;
  std::string trigger = dir / "fail-syncs";
  Daemon d(dir / "data", {},
           {{"LD_PRELOAD", PASTEBIN_FAIL_SYNC_LIB},
            {"PASTED_FAIL_SYNC_FILE", trigger},
            {"ASAN_OPTIONS", "verify_asan_link_order=0:detect_leaks=0"}});
  d.Start();
  httplib::Client c(d.url());
  auto good = c.Post("/api/v1/paste", R"({"paste_contents": "kept"})", "application/json");
  REQUIRE(good);
  REQUIRE(good->status == 201);

  WriteFile(trigger, "");
  auto doomed = c.Post("/api/v1/paste", R"({"paste_contents": "doomed"})", "application/json");
  REQUIRE(doomed);
  CHECK(doomed->status == 500);
  // The client is told no paths and no SQLite words, only where to look.
  std::string message = json::parse(doomed->body)["error"]["message"];
  CHECK_THAT(message, Catch::StartsWith("the server failed to handle this request; its "
                                        "operator can look it up (request id "));
  CHECK(message.find('/') == std::string::npos);
  CHECK_THAT(d.log(), Catch::Contains("request id "));
  CHECK_THAT(d.log(), Catch::Contains("disk I/O error"));

  d.Kill();
  unlink(trigger.c_str());
  Daemon after(dir / "data");
  after.Start();
  httplib::Client again(after.url());
  // Whatever SQLite replayed, every row has its body.
  std::vector<PasteRow> rows = PasteRows(dir / "data");
  REQUIRE(rows.size() >= 1);
  for (const PasteRow& row : rows) {
    INFO(row.shortlink);
    auto r = again.Get("/" + row.shortlink);
    REQUIRE(r);
    CHECK(r->status == 200);
  }
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
