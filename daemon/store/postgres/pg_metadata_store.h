// PgMetadataStore: the paste rows of several pasted nodes, shared in
// PostgreSQL, bodies in the rows (store = postgres; see docs/ARCHITECTURE.md,
// "Several nodes"). Connections come from pools (pg_pool.h); one the server dropped
// is replaced on the next use, so a restarted or promoted server is found
// again without restarting pasted (with a multi-host url and
// target_session_attrs=read-write, the new primary). Errors while the
// server is away are kUnavailable. Reads may go to a replica first
// (read_url): a row it does not have yet (replication lags) or a replica
// away sends the read on to the primary. Thread-safe.
//
// Bodies are never files here: every body is in its row (no FileBodyIndex).
#ifndef PASTEBIN_DAEMON_STORE_POSTGRES_PG_METADATA_STORE_H_
#define PASTEBIN_DAEMON_STORE_POSTGRES_PG_METADATA_STORE_H_

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "daemon/store/metadata_store.h"
#include "daemon/store/postgres/pg_pool.h"

namespace pastebin {

// How long a replica is not asked for a paste deleted elsewhere: longer
// than a healthy replica lags.
constexpr std::chrono::seconds kReplicaDistrust(60);

// The channel a delete notifies, with the shortlink as payload.
constexpr char kPgEvictChannel[] = "pasted_evict";

struct PgStoreOptions {
  std::string url;                    // the primary (multi-host with read-write, say)
  std::string read_url;               // a replica for reads; empty: the primary
  std::string node;                   // this node's name, for its running totals
  int timeout_s = kPgTimeoutSeconds;  // the longest wait on the server
};

class PgMetadataStore : public MetadataStore {
 public:
  // Connects once (to fail early with a clear error) and migrates the
  // schema (pg_schema.h). The replica need not be up.
  static Result<std::unique_ptr<PgMetadataStore>> Open(const PgStoreOptions& options);

  Status Insert(const PasteRecord& record) override;
  // One statement in one transaction; a taken shortlink skips its row (ON
  // CONFLICT DO NOTHING) and is kConflict, the others commit.
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override;
  Result<PasteRecord> Get(std::string_view shortlink) override;
  // Notifies kPgEvictChannel in the same transaction.
  Result<PasteRecord> Delete(std::string_view shortlink) override;
  // Rows locked by another node's gc are skipped (FOR UPDATE SKIP LOCKED):
  // gc on every node at once deletes each expired row exactly once.
  Result<std::vector<PasteRecord>> DeleteExpired(int64_t now, size_t limit) override;
  // The sum of every node's running totals, which each node keeps in its
  // own row (no contention between nodes), in the transactions that
  // insert and delete.
  Result<StoredTotals> Totals() override;
  Status Check() override;
  // For kReplicaDistrust after a delete it heard of, reads of that paste
  // skip the replica (it may not have replayed the delete); after
  // ForgetAll, every read does.
  void Forget(std::string_view shortlink) override;
  void ForgetAll() override;

 private:
  explicit PgMetadataStore(const PgStoreOptions& options);
  // False while a delete of shortlink (or of anything) may not have
  // reached the replica.
  bool ReplicaMayServe(std::string_view shortlink);
  // Adds rows' count and bytes (size and stored_size, in the columns
  // named) to this node's running totals, in c's transaction; sign -1
  // takes them off.
  Status AddToTotals(PgConn& c, const std::vector<PgRow>& rows, size_t size_column,
                     size_t stored_column, int sign);

  std::string node_;
  PgPool primary_;
  std::unique_ptr<PgPool> replica_;  // null without a read_url

  using Clock = std::chrono::steady_clock;
  std::mutex deleted_mu_;
  std::deque<std::pair<Clock::time_point, std::string>> deleted_;  // oldest first
  std::unordered_multiset<std::string> deleted_links_;
  Clock::time_point distrust_all_until_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_METADATA_STORE_H_
