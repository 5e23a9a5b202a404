#include "daemon/store/sqlite/sqlite_stats_store.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "daemon/store/sqlite/sqlite_metadata_store.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

using testing::TempDir;

// Regression: this connection ran SQLite's automatic checkpoint after each
// commit that left the WAL past 1000 pages, and SQLite ignores how such a
// checkpoint ends, a failed sync of the database included.
TEST_CASE("a commit of statistics leaves its pages in the WAL for the checkpointer") {
  TempDir dir;
  const std::string db = dir / "pastes.db";
  {
    auto migrated = SqliteMetadataStore::Open(db);  // the schema; its checkpointer stops
    REQUIRE(migrated.ok());
  }
  const int64_t before = testing::FileSize(db);
  auto stats = SqliteStatsStore::Open(db);
  REQUIRE(stats.ok());
  // ~100k visit rows with their indexes: well over 1000 pages of WAL.
  std::vector<VisitCount> counts;
  for (int i = 0; i < 100000; ++i) {
    std::string link = std::to_string(1000000 + i);
    counts.push_back({"2026-12", link, i % 7 + 1});
  }
  REQUIRE((*stats)->Apply(counts, LogCursor{"f", "access.log", 123}, 1796428800).ok());
  INFO("database " << testing::FileSize(db) << " bytes, WAL " << testing::FileSize(db + "-wal")
                   << " bytes");
  CHECK(testing::FileSize(db + "-wal") > 1000 * 4096);
  CHECK(testing::FileSize(db) == before);
  auto month = (*stats)->Month("2026-12", 1);
  REQUIRE(month.ok());
  REQUIRE(month->pastes.size() == 1);
  CHECK(month->pastes[0].visits == 7);
}

}  // namespace
}  // namespace pastebin
