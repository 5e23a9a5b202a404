// WriteBatcher: group commit for new pastes. A committer thread of its own
// takes every row queued since its last commit (up to kMaxBatch) and
// inserts them in one metadata transaction, whose one synced commit makes
// every row and inline body in it durable: durable writes are not capped
// at one fsync each. Batches grow by themselves under load (whatever
// queues during a commit is the next batch) and cost nothing extra when
// idle. (Bodies stored as files are durable before their rows queue: see
// BodyStore::Put.)
//
// A store whose server commits many transactions at once (PostgreSQL's:
// MetadataStore::BatchesAtOnce) gets that many committers, each taking
// what is queued when it is free: one batch's rows go in while another's
// commit is flushed. Two against one on a PostgreSQL node (medians of
// three alternating runs of 5 s at 64 connections, three sessions): 34.1k
// against 31.1k, 34.2k against 32.3k, 30.7k against 26.8k durable
// writes/s; PostgreSQL's CPU a write 16-18 against 12-14 µs (smaller
// batches). Three at once did worse (30.1k against two's 34.2k; 33.1k
// against 34.5k once each batch had a totals row of its own).
//
// Callers either wait (Commit, from a worker thread) or are called back
// (Submit, from an event loop, which then goes on serving): a batch costs
// the committer one wake-up, not one per writer.
//
// For a store that writes a commit and syncs it apart
// (MetadataStore::InsertBatchUnsynced: SQLite), a second thread syncs
// while the committer inserts the next batch, and one sync makes every
// batch committed before it durable: the disk's wait and the inserts' CPU
// overlap instead of adding up. Nobody hears of a batch before its sync.
// The syncer does not tell the writers itself: it hands the synced batches
// to the committer and starts the next sync at once, so the disk is not
// kept waiting while a batch's callbacks run (44 us a sync here; durable
// writes won 1.04 to 1.12 x in six alternating pairs).
#ifndef PASTEBIN_DAEMON_STORE_WRITE_BATCHER_H_
#define PASTEBIN_DAEMON_STORE_WRITE_BATCHER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "daemon/store/metadata_store.h"

namespace pastebin {

class WriteBatcher {
 public:
  static constexpr size_t kMaxBatch = 256;
  // Called on the committer thread (the syncer's, once the committer has
  // stopped) with the record's own result: OK
  // (durable), kConflict for a taken shortlink (retry with another), or the
  // batch's error. It must not block; it may Submit again.
  using Done = std::function<void(Status)>;

  // Starts the committer thread. metadata must outlive the batcher.
  explicit WriteBatcher(MetadataStore& metadata);
  // Commits what is queued, then stops the thread.
  ~WriteBatcher();

  // Queues record (with its inline body, or naming a body already
  // durable) for the next batch. Thread-safe.
  void Submit(std::shared_ptr<const PasteRecord> record, Done done);
  // Submit, and wait for the result. Thread-safe.
  Status Commit(const PasteRecord& record);

  // Batches committed so far, rows in them, rows waiting for a batch now,
  // and the time spent committing (for tests and metrics).
  size_t batches() const;
  size_t rows() const;
  size_t queued() const;
  double commit_seconds() const;

 private:
  struct Entry {
    std::shared_ptr<const PasteRecord> record;
    Done done;
  };
  // A batch committed but not yet synced, with each row's result.
  struct Unsynced {
    std::vector<Entry> batch;
    std::vector<Status> results;
  };
  void Run();
  void RunSyncs();
  // Runs the callbacks of answers_ (lock held on entry and on return).
  void Answer(std::unique_lock<std::mutex>& lock);

  MetadataStore& metadata_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Entry> queue_;
  size_t idle_ = 0;  // committers waiting for work
  bool stopping_ = false;
  size_t batches_ = 0;
  size_t rows_ = 0;
  double commit_seconds_ = 0;
  // The syncer's: batches waiting for a sync, and the committer is done.
  std::condition_variable sync_cv_;
  std::vector<Unsynced> unsynced_;
  bool committer_done_ = false;
  // Synced batches whose writers have not heard yet: the committer tells
  // them, so the syncer goes on to the next sync at once.
  std::vector<Unsynced> answers_;
  std::vector<std::thread> committers_;  // MetadataStore::BatchesAtOnce()
  std::thread syncer_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_WRITE_BATCHER_H_
