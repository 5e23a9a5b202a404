#include "daemon/store/sqlite/sqlite_stats_store.h"

#include <map>
#include <set>

namespace pastebin {
Result<std::unique_ptr<SqliteStatsStore>> SqliteStatsStore::Open(const std::string& path) {
  std::unique_ptr<SqliteStatsStore> store(new SqliteStatsStore());
  auto db = SqliteDb::Open(path, /*create=*/false);
  if (!db.ok()) return db.status();
  store->db_ = std::move(db).value();
  // Checkpoints are the WalCheckpointer's alone. SQLite's own, run inside a
  // commit of this connection's, would ignore a failed sync of the
  // database: pages the kernel then dropped, and a WAL started over
  // without them (see wal_checkpointer.h).
  Status s = store->db_->Exec("PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;");
  if (!s.ok()) return s;
  struct {
    std::unique_ptr<SqliteStmt>* stmt;
    const char* sql;
  } const statements[] = {
      {&store->add_visits_,
       "UPDATE monthly_visits SET visits = visits + ?3"
       " WHERE month = ?1 AND shortlink = ?2"},
      {&store->insert_visits_,
       "INSERT INTO monthly_visits (month, shortlink, visits) VALUES (?1, ?2, ?3)"},
      {&store->add_totals_,
       "INSERT INTO monthly_totals (month, total_visits, pastes_visited)"
       " VALUES (?1, ?2, ?3) ON CONFLICT (month) DO UPDATE SET"
       " total_visits = total_visits + ?2, pastes_visited = pastes_visited + ?3"},
      {&store->put_cursor_,
       "INSERT INTO log_cursors (fingerprint, path, offset, updated_at)"
       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (fingerprint) DO UPDATE SET"
       " path = ?2, offset = ?3, updated_at = ?4"},
      {&store->get_cursor_, "SELECT offset FROM log_cursors WHERE fingerprint = ?1"},
  };
  for (const auto& entry : statements) {
    auto st = store->db_->Prepare(entry.sql);
    if (!st.ok()) return st.status();
    *entry.stmt = std::move(st).value();
  }
  return store;
}

Result<std::optional<int64_t>> SqliteStatsStore::CursorOffset(const std::string& fingerprint) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStmt& st = *get_cursor_;
  st.BindText(1, fingerprint);
  auto step = st.Next();
  std::optional<int64_t> offset;
  if (step.ok() && *step == SqliteStmt::Step::kRow) offset = st.Int(0);
  st.Reset();
  if (!step.ok()) return step.status();
  return offset;
}

Status SqliteStatsStore::Apply(const std::vector<VisitCount>& counts, const LogCursor& cursor,
                               int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Status s = db_->Exec("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  s = ApplyLocked(counts, cursor, now);
  if (s.ok()) s = db_->Exec("COMMIT");
  if (!s.ok()) db_->Exec("ROLLBACK");
  return s;
}

Status SqliteStatsStore::ApplyLocked(const std::vector<VisitCount>& counts, const LogCursor& cursor,
                                     int64_t now) {
  struct Totals {
    int64_t visits = 0;
    int64_t new_pastes = 0;
  };
  std::map<std::string, Totals> totals;
  for (const VisitCount& c : counts) {
    SqliteStmt& add = *add_visits_;
    add.BindText(1, c.month);
    add.BindText(2, c.shortlink);
    add.BindInt(3, c.visits);
    Status s = add.Run();
    if (!s.ok()) return s;
    Totals& t = totals[c.month];
    t.visits += c.visits;
    if (db_->Changes() == 0) {
      SqliteStmt& ins = *insert_visits_;
      ins.BindText(1, c.month);
      ins.BindText(2, c.shortlink);
      ins.BindInt(3, c.visits);
      s = ins.Run();
      if (!s.ok()) return s;
      t.new_pastes++;
    }
  }
  for (const auto& [month, t] : totals) {
    SqliteStmt& st = *add_totals_;
    st.BindText(1, month);
    st.BindInt(2, t.visits);
    st.BindInt(3, t.new_pastes);
    Status s = st.Run();
    if (!s.ok()) return s;
  }
  SqliteStmt& cur = *put_cursor_;
  cur.BindText(1, cursor.fingerprint);
  cur.BindText(2, cursor.path);
  cur.BindInt(3, cursor.offset);
  cur.BindInt(4, now);
  return cur.Run();
}

Result<std::vector<VisitCount>> SqliteStatsStore::VisitsAfter(const VisitCount& after,
                                                              size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  // The monthly_visits_link index: (shortlink, month).
  auto st = db_->Prepare(
      "SELECT month, shortlink, visits FROM monthly_visits WHERE (shortlink, month) > (?1, ?2)"
      " ORDER BY shortlink, month LIMIT ?3");
  if (!st.ok()) return st.status();
  (*st)->BindText(1, after.shortlink);
  (*st)->BindText(2, after.month);
  (*st)->BindInt(3, static_cast<int64_t>(limit));
  std::vector<VisitCount> out;
  for (;;) {
    auto step = (*st)->Next();
    if (!step.ok()) return step.status();
    if (*step == SqliteStmt::Step::kDone) break;
    out.push_back({(*st)->Text(0), (*st)->Text(1), (*st)->Int(2)});
  }
  return out;
}

Status SqliteStatsStore::SetVisits(const std::vector<VisitCount>& counts) {
  std::lock_guard<std::mutex> lock(mu_);
  auto set = db_->Prepare(
      "INSERT INTO monthly_visits (month, shortlink, visits) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (month, shortlink) DO UPDATE SET visits = excluded.visits");
  if (!set.ok()) return set.status();
  auto recount = db_->Prepare(
      "INSERT OR REPLACE INTO monthly_totals (month, total_visits, pastes_visited)"
      " SELECT month, sum(visits), count(*) FROM monthly_visits WHERE month = ?1");
  if (!recount.ok()) return recount.status();
  Status s = db_->Exec("BEGIN IMMEDIATE");
  if (!s.ok()) return s;
  std::set<std::string> months;
  for (const VisitCount& c : counts) {
    (*set)->BindText(1, c.month);
    (*set)->BindText(2, c.shortlink);
    (*set)->BindInt(3, c.visits);
    s = (*set)->Run();
    if (!s.ok()) break;
    months.insert(c.month);
  }
  for (const std::string& month : months) {
    if (!s.ok()) break;
    (*recount)->BindText(1, month);
    s = (*recount)->Run();
  }
  if (s.ok()) s = db_->Exec("COMMIT");
  if (!s.ok()) db_->Exec("ROLLBACK");
  return s;
}

Status SqliteStatsStore::KeepOnlyCursors(const std::vector<std::string>& fingerprints) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = "DELETE FROM log_cursors WHERE fingerprint NOT IN (";
  for (size_t i = 0; i < fingerprints.size(); ++i) {
    sql += (i ? ", '" : "'") + fingerprints[i] + "'";  // hex: no quoting
  }
  return db_->Exec(sql + ")");
}

Result<StatsMonths> SqliteStatsStore::Months() {
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare(
      "SELECT month, total_visits, pastes_visited FROM monthly_totals"
      " ORDER BY month");
  if (!st.ok()) return st.status();
  StatsMonths out;
  for (;;) {
    auto step = (*st)->Next();
    if (!step.ok()) return step.status();
    if (*step == SqliteStmt::Step::kDone) break;
    out.months.push_back({(*st)->Text(0), (*st)->Int(1), (*st)->Int(2)});
  }
  return out;
}

Result<StatsMonth> SqliteStatsStore::Month(const std::string& month, size_t top) {
  std::lock_guard<std::mutex> lock(mu_);
  StatsMonth report;
  report.month = month;
  auto totals =
      db_->Prepare("SELECT total_visits, pastes_visited FROM monthly_totals WHERE month = ?1");
  if (!totals.ok()) return totals.status();
  (*totals)->BindText(1, month);
  auto step = (*totals)->Next();
  if (!step.ok()) return step.status();
  if (*step == SqliteStmt::Step::kRow) {
    report.total_visits = (*totals)->Int(0);
    report.pastes_visited = (*totals)->Int(1);
  }
  auto st = db_->Prepare(
      "SELECT shortlink, visits FROM monthly_visits WHERE month = ?1"
      " ORDER BY visits DESC, shortlink LIMIT ?2");
  if (!st.ok()) return st.status();
  (*st)->BindText(1, month);
  (*st)->BindInt(2, top == 0 ? -1 : static_cast<int64_t>(top));
  for (;;) {
    auto row = (*st)->Next();
    if (!row.ok()) return row.status();
    if (*row == SqliteStmt::Step::kDone) break;
    report.pastes.push_back({(*st)->Text(0), (*st)->Int(1)});
  }
  return report;
}

Result<LinkStats> SqliteStatsStore::LinkMonths(const std::string& shortlink) {
  std::lock_guard<std::mutex> lock(mu_);
  LinkStats out;
  out.shortlink = shortlink;
  auto st =
      db_->Prepare("SELECT month, visits FROM monthly_visits WHERE shortlink = ?1 ORDER BY month");
  if (!st.ok()) return st.status();
  (*st)->BindText(1, shortlink);
  for (;;) {
    auto row = (*st)->Next();
    if (!row.ok()) return row.status();
    if (*row == SqliteStmt::Step::kDone) break;
    out.months.push_back({(*st)->Text(0), (*st)->Int(1)});
    out.total_visits += (*st)->Int(1);
  }
  return out;
}

}  // namespace pastebin
