#include "daemon/stats/visit_rollup.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>

#include "daemon/stats/log_line.h"
#include "daemon/store/sqlite/sqlite_metadata_store.h"
#include "daemon/store/sqlite/sqlite_stats_store.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

using testing::TempDir;

constexpr int64_t kRollupNov30Late = 1796083199;  // 2026-11-30 23:59:59 UTC

std::string Line(const std::string& target, int status = 200, int64_t time = kRollupNov30Late,
                 const std::string& method = "GET") {
  RequestLogRecord r;
  r.remote_addr = "192.0.2.1";
  r.time = time;
  r.method = method;
  r.target = target;
  r.protocol = "HTTP/1.1";
  r.status = status;
  r.user_agent = "test \"agent\"";
  return FormatLogLine(r) + "\n";
}

void Append(const std::string& path, const std::string& text) {
  FILE* f = fopen(path.c_str(), "ab");
  REQUIRE(f);
  fwrite(text.data(), 1, text.size(), f);
  fclose(f);
}

struct RollupFixture {
  TempDir dir;
  std::string log = dir / "access.log";
  FakeClock clock{kRollupNov30Late};
  std::unique_ptr<SqliteMetadataStore> metadata =  // migrates the schema
      std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  std::unique_ptr<SqliteStatsStore> stats =
      std::move(SqliteStatsStore::Open(dir / "pastes.db")).value();
  int flushes = 0;
  VisitRollup rollup{*stats, log, clock, [this] {
                       flushes++;
                       return Status::Ok();
                     }};

  // month → shortlink → visits, with the month totals checked against it.
  std::map<std::string, std::map<std::string, int64_t>> Counts() {
    std::map<std::string, std::map<std::string, int64_t>> out;
    auto months = stats->Months();
    REQUIRE(months.ok());
    for (const auto& m : months->months) {
      auto report = stats->Month(m.month, 0);
      REQUIRE(report.ok());
      int64_t sum = 0;
      for (const auto& p : report->pastes) {
        out[m.month][p.shortlink] = p.visits;
        sum += p.visits;
      }
      CHECK(m.total_visits == sum);
      CHECK(m.pastes_visited == static_cast<int64_t>(report->pastes.size()));
    }
    return out;
  }
  RollupResult Run() {
    auto r = rollup.Run();
    REQUIRE(r.ok());
    return *r;
  }
};

TEST_CASE("rollup counts visits per month and paste") {
  RollupFixture f;
  Append(f.log, Line("/Ab3dE9x") + Line("/Ab3dE9x") + Line("/api/v1/paste?shortlink=Ab3dE9x") +
                    Line("/Zz9Zz9Z") + Line("/Ab3dE9x", 404) +
                    Line("/api/v1/paste", 201, kRollupNov30Late, "POST") + Line("/healthz") +
                    Line("/Zz9Zz9Z", 200, kRollupNov30Late + 1));
  RollupResult r = f.Run();
  CHECK(r.lines == 8);
  CHECK(r.visits == 5);
  CHECK(f.flushes == 1);
  auto counts = f.Counts();
  CHECK(counts["2026-11"] == std::map<std::string, int64_t>{{"Ab3dE9x", 3}, {"Zz9Zz9Z", 1}});
  CHECK(counts["2026-12"] == std::map<std::string, int64_t>{{"Zz9Zz9Z", 1}});
  auto nov = f.stats->Month("2026-11", 0);
  CHECK(nov->pastes[0].shortlink == "Ab3dE9x");  // most visited first
  CHECK(f.stats->Month("2026-11", 1)->pastes.size() == 1);
}

TEST_CASE("rollup is idempotent and incremental") {
  RollupFixture f;
  Append(f.log, Line("/Ab3dE9x"));
  f.Run();
  CHECK(f.Run().lines == 0);  // nothing new: nothing counted twice
  Append(f.log, Line("/Ab3dE9x") + Line("/Zz9Zz9Z"));
  CHECK(f.Run().lines == 2);
  auto counts = f.Counts();
  CHECK(counts["2026-11"]["Ab3dE9x"] == 2);
  CHECK(counts["2026-11"]["Zz9Zz9Z"] == 1);
}

TEST_CASE("a line still being written is counted once it is complete") {
  RollupFixture f;
  std::string line = Line("/Ab3dE9x");
  Append(f.log, line + line.substr(0, 20));
  CHECK(f.Run().lines == 1);
  Append(f.log, line.substr(20));
  CHECK(f.Run().lines == 1);
  CHECK(f.Counts()["2026-11"]["Ab3dE9x"] == 2);
}

TEST_CASE("a log renamed mid-file by logrotate is finished, then the new one read") {
  RollupFixture f;
  Append(f.log, Line("/Ab3dE9x"));
  f.Run();
  Append(f.log, Line("/Ab3dE9x"));  // not rolled up before the rename
  REQUIRE(rename(f.log.c_str(), (f.log + ".1").c_str()) == 0);
  Append(f.log + ".1", Line("/Ab3dE9x"));                      // written before SIGHUP reopened
  Append(f.log, Line("/Zz9Zz9Z", 200, kRollupNov30Late + 5));  // the new file
  f.Run();
  f.Run();
  auto counts = f.Counts();
  CHECK(counts["2026-11"]["Ab3dE9x"] == 3);
  CHECK(counts["2026-12"]["Zz9Zz9Z"] == 1);
  // The next rotation drops the old file; its cursor goes with it.
  REQUIRE(rename(f.log.c_str(), (f.log + ".1").c_str()) == 0);
  Append(f.log, Line("/Zz9Zz9Z", 200, kRollupNov30Late + 9));
  f.Run();
  CHECK(f.Counts()["2026-12"]["Zz9Zz9Z"] == 2);
}

TEST_CASE("a log copied and truncated (copytruncate) is not counted twice") {
  RollupFixture f;
  Append(f.log, Line("/Ab3dE9x") + Line("/Ab3dE9x"));
  f.Run();
  Append(f.log, Line("/Ab3dE9x"));
  testing::WriteFile(f.log + ".1", testing::ReadFile(f.log));
  REQUIRE(truncate(f.log.c_str(), 0) == 0);
  Append(f.log, Line("/Zz9Zz9Z"));
  f.Run();
  auto counts = f.Counts();
  CHECK(counts["2026-11"]["Ab3dE9x"] == 3);
  CHECK(counts["2026-11"]["Zz9Zz9Z"] == 1);
}

TEST_CASE("rollup without any log counts nothing") {
  RollupFixture f;
  RollupResult r = f.Run();
  CHECK(r.lines == 0);
  CHECK(f.stats->Months()->months.empty());
  auto month = f.stats->Month("2026-11", 10);
  REQUIRE(month.ok());
  CHECK(month->total_visits == 0);
}

TEST_CASE("the visit counter counts every key through growth") {
  VisitCounter counter;
  std::map<uint64_t, int64_t> expected;
  for (uint64_t i = 0; i < 5000; ++i) {
    uint64_t key = PackVisitKey(2026 * 12 + static_cast<int>(i % 3), "Ab3dE9x") + i / 3;
    for (uint64_t n = 0; n <= i % 4; ++n) {
      counter.Add(key);
      expected[key]++;
    }
  }
  CHECK(counter.size() == expected.size());
  auto sorted = counter.Sorted();
  CHECK(std::vector<std::pair<uint64_t, int64_t>>(expected.begin(), expected.end()) == sorted);
}

TEST_CASE("visit keys pack month and shortlink losslessly") {
  for (const char* link : {"AAAAAAA", "9999999", "Ab3dE9x", "zZ09aA1"}) {
    for (int month : {0, 2026 * 12 + 10, 9999 * 12 + 11}) {
      VisitCount c = UnpackVisitKey(PackVisitKey(month, link), 7);
      CHECK(c.shortlink == link);
      CHECK(c.month == MonthName(month));
      CHECK(c.visits == 7);
    }
  }
}

}  // namespace
}  // namespace pastebin
