// PgStatsStore: StatsStore in PostgreSQL, shared by several nodes. Each
// node rolls up its own access log: counts are added (upserts, keys in
// sorted order so two nodes never deadlock), the node's cursor is saved in
// the same transaction, and a (month, paste) row made by either node is
// counted once in pastes_visited. The schema must be current
// (PgMetadataStore::Open migrates it). Reconnects after the server went
// away. Thread-safe.
//
// A node's name is its own while it runs: its stats connection holds a
// session advisory lock on it (taken again on every new connection), so a
// second live node given the same name is refused instead of pruning the
// first one's cursors.
#ifndef PASTEBIN_DAEMON_STORE_POSTGRES_PG_STATS_STORE_H_
#define PASTEBIN_DAEMON_STORE_POSTGRES_PG_STATS_STORE_H_

#include <memory>
#include <mutex>
#include <string>

#include "daemon/store/archive.h"
#include "daemon/store/postgres/pg.h"
#include "daemon/store/stats_store.h"

namespace pastebin {

class PgStatsStore : public StatsStore, public VisitRows {
 public:
  // node names this node's log cursors; not empty. A cursor kept under
  // legacy_node (the host name, which named nodes before node.id; empty:
  // none) for a log this node reads is taken over as this node's.
  static Result<std::unique_ptr<PgStatsStore>> Open(const std::string& url, const std::string& node,
                                                    const std::string& legacy_node = "",
                                                    int timeout_s = kPgTimeoutSeconds);

  Result<std::optional<int64_t>> CursorOffset(const std::string& fingerprint) override;
  Status Apply(const std::vector<VisitCount>& counts, const LogCursor& cursor,
               int64_t now) override;
  Status KeepOnlyCursors(const std::vector<std::string>& fingerprints) override;
  Result<StatsMonths> Months() override;
  Result<StatsMonth> Month(const std::string& month, size_t top) override;
  Result<LinkStats> LinkMonths(const std::string& shortlink) override;
  Result<std::vector<VisitCount>> VisitsAfter(const VisitCount& after, size_t limit) override;
  // The months' totals are recounted under their rows' locks, so a node
  // adding visits meanwhile adds them to the recount.
  Status SetVisits(const std::vector<VisitCount>& counts) override;

 private:
  PgStatsStore(std::string url, std::string node, std::string legacy_node, int timeout_s)
      : url_(std::move(url)),
        node_(std::move(node)),
        legacy_node_(std::move(legacy_node)),
        timeout_s_(timeout_s) {}
  // The connection, made again if the server dropped it, holding the
  // node's name (kUnavailable when another live node holds it). Under mu_.
  Result<PgConn*> Conn();
  Status ApplyLocked(PgConn& c, const std::vector<VisitCount>& counts, const LogCursor& cursor,
                     int64_t now);

  std::string url_;
  std::string node_;
  std::string legacy_node_;
  int timeout_s_;
  std::mutex mu_;
  std::unique_ptr<PgConn> conn_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_STATS_STORE_H_
