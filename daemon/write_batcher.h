// WriteBatcher: group commit for new pastes. Many requests share one
// BodyStore::Sync() and one metadata transaction, so durable writes are not
// capped at one fsync each.
//
// As in LevelDB's write path, there is no committer thread: callers queue
// up, the one at the front becomes the leader, takes everyone queued
// (up to kMaxBatch), syncs the bodies and inserts the rows while the others
// wait, then hands each its own result. Requests that arrive meanwhile form
// the next batch, so batches grow by themselves under load and cost nothing
// extra when idle.
//
// Measured at 64 concurrent writers, a batch of ~30 pastes spends about as
// long syncing bodies (3.2 ms) as committing rows (2.7 ms); running the two
// steps as an overlapping pipeline gained nothing (both wait on the same
// disk's flushes), so they run back to back.
#ifndef PASTEBIN_DAEMON_WRITE_BATCHER_H_
#define PASTEBIN_DAEMON_WRITE_BATCHER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

#include "common/status.h"
#include "daemon/body_store.h"
#include "daemon/metadata_store.h"

namespace pastebin {

class WriteBatcher {
 public:
  static constexpr size_t kMaxBatch = 256;

  WriteBatcher(MetadataStore& metadata, BodyStore& bodies)
      : metadata_(metadata), bodies_(bodies) {}

  // Makes record's body (already Put) durable and inserts record, in some
  // batch. Returns when both are durable (OK), or with the record's own
  // error: kConflict for a taken shortlink (retry with another), or the
  // batch's error. Thread-safe.
  Status Commit(const PasteRecord& record);

  // Batches committed so far, rows in them, writers waiting now, and the
  // time spent syncing bodies and inserting rows (for tests and metrics).
  size_t batches() const;
  size_t rows() const;
  size_t queued() const;
  double sync_seconds() const;
  double insert_seconds() const;

 private:
  struct Writer {
    const PasteRecord* record;
    Status status;
    bool done = false;
    std::condition_variable cv;
  };

  MetadataStore& metadata_;
  BodyStore& bodies_;
  mutable std::mutex mu_;
  std::deque<Writer*> queue_;
  size_t batches_ = 0;
  size_t rows_ = 0;
  double sync_seconds_ = 0;
  double insert_seconds_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_WRITE_BATCHER_H_
