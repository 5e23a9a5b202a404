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

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "daemon/base/loop_watch.h"
#include "daemon/base/per_loop.h"
#include "daemon/base/read_combiner.h"
#include "daemon/store/archive.h"
#include "daemon/store/metadata_store.h"
#include "daemon/store/postgres/pg_pool.h"

namespace pastebin {

// The channel a delete notifies, with the shortlink as payload.
constexpr char kPgEvictChannel[] = "pasted_evict";

struct PgStoreOptions {
  std::string url;                    // the primary (multi-host with read-write, say)
  std::string read_url;               // a replica for reads; empty: the primary
  std::string node;                   // this node's name, for its running totals
  int timeout_s = kPgTimeoutSeconds;  // the longest wait on the server
};

class PgMetadataStore : public MetadataStore, public PasteRows {
 public:
  // Connects once (to fail early with a clear error) and migrates the
  // schema (pg_schema.h). The replica need not be up.
  static Result<std::unique_ptr<PgMetadataStore>> Open(const PgStoreOptions& options);
  ~PgMetadataStore() override;

  Status Insert(const PasteRecord& record) override;
  // One statement in one transaction; a taken shortlink skips its row (ON
  // CONFLICT DO NOTHING) and is kConflict, the others commit.
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override;
  // Two batches at once, each on a connection of its own: one batch's rows
  // go in while the other's commit is flushed (and, under Patroni's
  // synchronous mode, confirmed by the standby).
  size_t BatchesAtOnce() const override { return 2; }
  // Reads that arrive while others are out are asked together, in one
  // query (ReadCombiner): one round trip and one statement for whatever
  // queued meanwhile, up to kMaxReadBatch, kReadsAtOnce queries at once.
  Result<PasteRecord> Get(std::string_view shortlink) override;
  // Bodies larger than this stay out of Get's rows (body_left_out): a
  // reader asks ReadInlineBody for one once it has the memory.
  static constexpr int64_t kBodyInRowBytes = 64 << 10;
  Result<std::string> ReadInlineBody(std::string_view shortlink) override;
  // Notifies kPgEvictChannel in the same transaction.
  Result<PasteRecord> Delete(std::string_view shortlink) override;
  // Rows locked by another node's gc are skipped (FOR UPDATE SKIP LOCKED):
  // gc on every node at once deletes each expired row exactly once.
  Result<std::vector<PasteRecord>> DeleteExpired(int64_t now, size_t limit) override;
  // The sum of every node's running totals, which each node keeps in its
  // own row (no contention between nodes), in the transactions that
  // insert and delete.
  Result<StoredTotals> Totals() override;
  // On an event loop (LoopWatch::Current()): asked by the loop itself, on
  // connections of its own, done(answer) run on the loop when the answer
  // is in. The misses of a round go out together as it ends (up to
  // kMaxReadBatch); one statement out a server at a time, what is asked
  // meanwhile goes in the next. With a replica, it is asked first and the
  // primary for what it lacks or when it is behind the fence, as Get does.
  // No thread is woken on the way there or back. Elsewhere, while the
  // fence is unknown, or while a server has no idle connection in its
  // pool, asked together with other waiting lookups on the combiner's
  // thread. A loop's statement to the primary that fails is asked again
  // that way, on a fresh connection, and one unanswered after timeout_s
  // is kUnavailable; the replica's go on to the primary. The loops must
  // stop before the store goes.
  bool GetLater(std::string_view shortlink, std::function<void(Result<PasteRecord>)> done) override;
  Status Check() override;
  std::optional<ReadBatchTotals> ReadBatches() const override {
    return ReadBatchTotals{static_cast<int64_t>(reads_.batches()) + loop_batches_.load(),
                           static_cast<int64_t>(reads_.keys()) + loop_keys_.load()};
  }
  // The replica serves a read only once it has replayed every delete this
  // node knows of: its replay position must be past the fence, which is
  // the primary's WAL position when the node started, after each of its
  // deletes, and when it hears of another node's (Forget, ForgetAll). While
  // the fence cannot be read, reads go to the primary. A deleted paste is
  // never read back from a lagging replica, across restarts too.
  void Forget(std::string_view shortlink) override;
  void ForgetAll() override;
  // From the primary.
  Result<std::vector<PasteRecord>> RowsAfter(std::string_view after, size_t limit) override;

 private:
  explicit PgMetadataStore(const PgStoreOptions& options);
  // Raises the fence to the primary's WAL position now, on c (a
  // connection to the primary) or a pooled one; on failure the replica is
  // not used until a fence is read. Without a replica, nothing.
  void RaiseFence(PgConn* c = nullptr);

  // The rows of links (each link's, or NoSuchPaste, or the error), from
  // the replica what it has and is current for, the rest from the primary.
  std::vector<Result<PasteRecord>> GetMany(const std::vector<std::string>& links);

  // The store_totals row an InsertBatch adds to: the node's rows in turn
  // (node, node#1 .. node#3; Totals sums every row). Two batches at once
  // (BatchesAtOnce) on one row: the second's update would wait for the
  // first's commit, flush included (1.10 x writes/s with the rows in
  // turn, three alternating runs: 36.7k against 33.4k).
  std::string InsertTotalsRow();
  static constexpr unsigned kInsertTotalsRows = 4;

  static constexpr size_t kReadsAtOnce = 1;
  static constexpr size_t kMaxReadBatch = 64;
  // A lane's misses fewer than this at a round's end wait for the next
  // (OnLoopRound). Random cold reads among 1 M pastes at 16 connections,
  // three alternating runs: p50 0.199-0.206 against 0.211-0.217 ms with
  // 3, 0.213-0.214 with 2 (each side's CPU a read within the runs'
  // spread); in a second session 0.197-0.222 against 0.208-0.235 (two
  // pairs of three won, medians 0.200 against 0.213). 4 against 3:
  // 0.193-0.201 against 0.201-0.211 ms (two won, one even), pasted's CPU
  // a read 13.0-13.4 against 13.2-13.6 µs, PostgreSQL's 8.2-8.6 against
  // 8.7-8.9.
  static constexpr size_t kHeldBelow = 4;

  // An event loop's reads (GetLater), used on its thread alone: a lane
  // for each server it asks (the replica, the primary), each with its own
  // connection and one statement out at a time.
  struct LoopAsk {
    std::string link;
    std::function<void(Result<PasteRecord>)> done;
  };
  struct LoopLane;
  struct LoopReads;
  // loop's, made (and hooked to its rounds) at its first read.
  LoopReads* LoopReadsOf(LoopWatch* loop);
  // Takes an idle connection of lane's pool and watches its socket; false
  // if none is idle.
  bool ConnectLane(LoopReads& r, LoopLane& lane);
  // Sends what waits in lane as one statement.
  void SendLane(LoopReads& r, LoopLane& lane);
  void OnLaneReady(LoopReads& r, LoopLane& lane, uint32_t events);
  // Each round of r's loop: sends what waits where nothing is out; moves
  // on a statement unanswered too long, and what a stopping loop waits for.
  void OnLoopRound(LoopReads& r, bool stopping);
  // Unwatches and closes lane's connection.
  void DropLane(LoopReads& r, LoopLane& lane);
  // Gives ask its answer (an answer lost out of memory: its asker's
  // connection times out).
  static void Tell(LoopAsk& ask, Result<PasteRecord> answer);
  // Hands asks to the combiner, which asks on a connection of the pool's.
  void PassOn(std::vector<LoopAsk>& asks);
  // Queues asks for the primary's next statement, or passes them on when
  // the primary has no connection idle.
  void ToPrimary(LoopReads& r, std::vector<LoopAsk>& asks);

  std::string node_;
  PgPool primary_;
  std::unique_ptr<PgPool> replica_;  // null without a read_url

  // The WAL position (bytes) the replica must have replayed to be read.
  std::atomic<uint64_t> fence_{UINT64_MAX};
  std::atomic<unsigned> totals_turn_{0};     // InsertTotalsRow's
  ReadCombiner<Result<PasteRecord>> reads_;  // Get's, by GetMany
  const int timeout_s_;
  PerLoop<LoopReads> loops_;
  std::atomic<int64_t> loop_batches_{0};
  std::atomic<int64_t> loop_keys_{0};
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_METADATA_STORE_H_
