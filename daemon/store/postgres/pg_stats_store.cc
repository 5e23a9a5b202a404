#include "daemon/store/postgres/pg_stats_store.h"

#include <algorithm>
#include <map>
#include <set>

namespace pastebin {

Result<std::unique_ptr<PgStatsStore>> PgStatsStore::Open(const std::string& url,
                                                         const std::string& node,
                                                         const std::string& legacy_node,
                                                         int timeout_s) {
  if (node.empty()) return InvalidArgument("a node needs a name for its log cursors");
  std::unique_ptr<PgStatsStore> store(new PgStatsStore(url, node, legacy_node, timeout_s));
  std::lock_guard<std::mutex> lock(store->mu_);
  auto conn = store->Conn();
  if (!conn.ok()) return conn.status();
  return store;
}

Result<PgConn*> PgStatsStore::Conn() {
  if (conn_ && conn_->StillOpen()) return conn_.get();
  conn_.reset();
  auto conn = PgConn::Open(url_, timeout_s_);
  if (!conn.ok()) return conn.status();
  // Released when the session ends: a node that dies frees its name.
  auto held = (*conn)->Query("SELECT pg_try_advisory_lock(hashtextextended($1, 0))",
                             {"pasted node " + node_});
  if (!held.ok()) return held.status();
  if (held->empty() || (*held)[0][0] != std::optional<std::string>("t")) {
    return Status(Code::kUnavailable,
                  "another live pasted uses node_name '" + node_ +
                      "' on this database; give each node its own node_name, or leave it "
                      "unset (each data dir then has its own, kept in node.id)");
  }
  conn_ = std::move(conn).value();
  return conn_.get();
}

Result<std::optional<int64_t>> PgStatsStore::CursorOffset(const std::string& fingerprint) {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = Conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->Query("SELECT \"offset\" FROM log_cursors WHERE node = $1 AND fingerprint = $2",
                          {node_, fingerprint});
  if (!rows.ok()) return rows.status();
  if (rows->empty() && !legacy_node_.empty()) {
    // A log read before this node had its own name: its cursor moves over.
    rows = (*c)->Query(
        "UPDATE log_cursors SET node = $1 WHERE node = $2 AND fingerprint = $3"
        " RETURNING \"offset\"",
        {node_, legacy_node_, fingerprint});
    if (!rows.ok()) return rows.status();
  }
  if (rows->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(std::stoll(*(*rows)[0][0]));
}

Status PgStatsStore::Apply(const std::vector<VisitCount>& counts, const LogCursor& cursor,
                           int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = Conn();
  if (!c.ok()) return c.status();
  Status s = (*c)->Exec("BEGIN");
  if (!s.ok()) return s;
  s = ApplyLocked(**c, counts, cursor, now);
  if (s.ok()) s = (*c)->Exec("COMMIT");
  if (!s.ok()) (*c)->Exec("ROLLBACK");
  return s;
}

Status PgStatsStore::ApplyLocked(PgConn& c, const std::vector<VisitCount>& counts,
                                 const LogCursor& cursor, int64_t now) {
  // Rows locked in one order by every node: no deadlocks between them.
  std::vector<const VisitCount*> sorted;
  for (const VisitCount& v : counts) sorted.push_back(&v);
  std::sort(sorted.begin(), sorted.end(), [](const VisitCount* a, const VisitCount* b) {
    return std::tie(a->month, a->shortlink) < std::tie(b->month, b->shortlink);
  });
  struct Totals {
    int64_t visits = 0;
    int64_t new_pastes = 0;
  };
  std::map<std::string, Totals> totals;  // sorted by month too
  for (const VisitCount* v : sorted) {
    // xmax = 0 on the returned row: this statement inserted it.
    auto rows = c.Query(
        "INSERT INTO monthly_visits (month, shortlink, visits) VALUES ($1, $2, $3)"
        " ON CONFLICT (month, shortlink) DO UPDATE"
        " SET visits = monthly_visits.visits + EXCLUDED.visits RETURNING (xmax = 0)",
        {v->month, v->shortlink, std::to_string(v->visits)});
    if (!rows.ok()) return rows.status();
    Totals& t = totals[v->month];
    t.visits += v->visits;
    if (!rows->empty() && (*rows)[0][0] == std::optional<std::string>("t")) t.new_pastes++;
  }
  for (const auto& [month, t] : totals) {
    auto rows = c.Query(
        "INSERT INTO monthly_totals (month, total_visits, pastes_visited) VALUES ($1, $2, $3)"
        " ON CONFLICT (month) DO UPDATE SET"
        " total_visits = monthly_totals.total_visits + EXCLUDED.total_visits,"
        " pastes_visited = monthly_totals.pastes_visited + EXCLUDED.pastes_visited",
        {month, std::to_string(t.visits), std::to_string(t.new_pastes)});
    if (!rows.ok()) return rows.status();
  }
  auto rows = c.Query(
      "INSERT INTO log_cursors (node, fingerprint, path, \"offset\", updated_at)"
      " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (node, fingerprint) DO UPDATE SET"
      " path = EXCLUDED.path, \"offset\" = EXCLUDED.\"offset\", updated_at = EXCLUDED.updated_at",
      {node_, cursor.fingerprint, cursor.path, std::to_string(cursor.offset), std::to_string(now)});
  return rows.ok() ? Status::Ok() : rows.status();
}

Status PgStatsStore::KeepOnlyCursors(const std::vector<std::string>& fingerprints) {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = Conn();
  if (!c.ok()) return c.status();
  auto rows =
      (*c)->Query("DELETE FROM log_cursors WHERE node = $1 AND fingerprint <> ALL($2::text[])",
                  {node_, PgTextArray(fingerprints)});
  return rows.ok() ? Status::Ok() : rows.status();
}

Result<std::vector<VisitCount>> PgStatsStore::VisitsAfter(const VisitCount& after, size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = Conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->Query(
      "SELECT month, shortlink, visits FROM monthly_visits WHERE (shortlink, month) > ($1, $2)"
      " ORDER BY shortlink, month LIMIT $3",
      {after.shortlink, after.month, std::to_string(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<VisitCount> out;
  for (const PgRow& r : *rows) out.push_back({*r[0], *r[1], std::stoll(*r[2])});
  return out;
}

Status PgStatsStore::SetVisits(const std::vector<VisitCount>& counts) {
  if (counts.empty()) return Status::Ok();
  // Months and links are [0-9A-Za-z+-]: array literals need no quoting.
  std::string months = "{", links = "{", visits = "{";
  std::set<std::string> touched;
  for (const VisitCount& v : counts) {
    const char* sep = months.size() > 1 ? "," : "";
    months += sep + v.month;
    links += sep + v.shortlink;
    visits += sep + std::to_string(v.visits);
    touched.insert(v.month);
  }
  std::string touched_array = "{";
  for (const std::string& m : touched) touched_array += (touched_array.size() > 1 ? "," : "") + m;
  months += "}", links += "}", visits += "}", touched_array += "}";
  std::lock_guard<std::mutex> lock(mu_);
  auto c = Conn();
  if (!c.ok()) return c.status();
  Status s = (*c)->Exec("BEGIN");
  if (!s.ok()) return s;
  // Keys in the order every node takes them (ApplyLocked): no deadlocks.
  const std::pair<const char*, std::vector<PgParam>> steps[] = {
      {"INSERT INTO monthly_visits (month, shortlink, visits)"
       " SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ORDER BY 1, 2"
       " ON CONFLICT (month, shortlink) DO UPDATE SET visits = EXCLUDED.visits",
       {months, links, visits}},
      {"SELECT 1 FROM monthly_totals WHERE month = ANY($1::text[]) ORDER BY month FOR UPDATE",
       {touched_array}},
      {"INSERT INTO monthly_totals (month, total_visits, pastes_visited)"
       " SELECT month, sum(visits), count(*) FROM monthly_visits WHERE month = ANY($1::text[])"
       " GROUP BY month ORDER BY month ON CONFLICT (month) DO UPDATE SET"
       " total_visits = EXCLUDED.total_visits, pastes_visited = EXCLUDED.pastes_visited",
       {touched_array}},
  };
  for (const auto& [sql, params] : steps) {
    auto rows = (*c)->Query(sql, params);
    if (!rows.ok()) {
      s = rows.status();
      break;
    }
  }
  if (s.ok()) s = (*c)->Exec("COMMIT");
  if (!s.ok()) (*c)->Exec("ROLLBACK");
  return s;
}

Result<StatsMonths> PgStatsStore::Months() {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = Conn();
  if (!c.ok()) return c.status();
  auto rows =
      (*c)->Query("SELECT month, total_visits, pastes_visited FROM monthly_totals ORDER BY month");
  if (!rows.ok()) return rows.status();
  StatsMonths out;
  for (const PgRow& r : *rows) {
    out.months.push_back({*r[0], std::stoll(*r[1]), std::stoll(*r[2])});
  }
  return out;
}

Result<StatsMonth> PgStatsStore::Month(const std::string& month, size_t top) {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = Conn();
  if (!c.ok()) return c.status();
  StatsMonth report;
  report.month = month;
  auto totals = (*c)->Query(
      "SELECT total_visits, pastes_visited FROM monthly_totals WHERE month = $1", {month});
  if (!totals.ok()) return totals.status();
  if (!totals->empty()) {
    report.total_visits = std::stoll(*(*totals)[0][0]);
    report.pastes_visited = std::stoll(*(*totals)[0][1]);
  }
  auto rows = (*c)->Query(
      "SELECT shortlink, visits FROM monthly_visits WHERE month = $1"
      " ORDER BY visits DESC, shortlink LIMIT $2",
      {month, top == 0 ? PgParam(std::nullopt) : PgParam(std::to_string(top))});
  if (!rows.ok()) return rows.status();
  for (const PgRow& r : *rows) report.pastes.push_back({*r[0], std::stoll(*r[1])});
  return report;
}

Result<LinkStats> PgStatsStore::LinkMonths(const std::string& shortlink) {
  std::lock_guard<std::mutex> lock(mu_);
  auto c = Conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->Query(
      "SELECT month, visits FROM monthly_visits WHERE shortlink = $1 ORDER BY month", {shortlink});
  if (!rows.ok()) return rows.status();
  LinkStats out;
  out.shortlink = shortlink;
  for (const PgRow& r : *rows) {
    out.months.push_back({*r[0], std::stoll(*r[1])});
    out.total_visits += out.months.back().visits;
  }
  return out;
}

}  // namespace pastebin
