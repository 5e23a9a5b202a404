// SqliteStatsStore: StatsStore in the monthly_visits, monthly_totals and
// log_cursors tables of pastes.db, over its own connection. The schema must
// be current (SqliteMetadataStore::Open migrates it).
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_STATS_STORE_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_STATS_STORE_H_

#include <memory>
#include <mutex>
#include <string>

#include "daemon/store/archive.h"
#include "daemon/store/sqlite/sqlite.h"
#include "daemon/store/stats_store.h"

namespace pastebin {

class SqliteStatsStore : public StatsStore, public VisitRows {
 public:
  static Result<std::unique_ptr<SqliteStatsStore>> Open(const std::string& path);

  Result<std::optional<int64_t>> CursorOffset(const std::string& fingerprint) override;
  Status Apply(const std::vector<VisitCount>& counts, const LogCursor& cursor,
               int64_t now) override;
  Status KeepOnlyCursors(const std::vector<std::string>& fingerprints) override;
  Result<StatsMonths> Months() override;
  Result<StatsMonth> Month(const std::string& month, size_t top) override;
  Result<LinkStats> LinkMonths(const std::string& shortlink) override;
  Result<std::vector<VisitCount>> VisitsAfter(const VisitCount& after, size_t limit) override;
  Status SetVisits(const std::vector<VisitCount>& counts) override;

 private:
  SqliteStatsStore() = default;
  Status ApplyLocked(const std::vector<VisitCount>& counts, const LogCursor& cursor, int64_t now);

  // One connection, used under mu_: statistics are read and written rarely
  // (a rollup, a stats request), never on the paste read path.
  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<SqliteStmt> add_visits_, insert_visits_, add_totals_, put_cursor_, get_cursor_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_STATS_STORE_H_
