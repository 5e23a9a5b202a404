// WriteBatcher: group commit for new pastes. Many requests share one
// metadata transaction, whose one synced commit makes every row and inline
// body in it durable, so durable writes are not capped at one fsync each.
// (Bodies stored as files are already durable before their rows queue
// here: see BodyStore::Put.)
//
// As in LevelDB's write path, there is no committer thread: callers queue
// up, the one at the front becomes the leader, takes everyone queued
// (up to kMaxBatch), inserts the rows while the others wait, then hands each
// its own result. Requests that arrive meanwhile form the next batch, so
// batches grow by themselves under load and cost nothing extra when idle.
// A batch ends with one broadcast, not a wake-up per writer.
#ifndef PASTEBIN_DAEMON_WRITE_BATCHER_H_
#define PASTEBIN_DAEMON_WRITE_BATCHER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

#include "common/status.h"
#include "daemon/metadata_store.h"

namespace pastebin {

class WriteBatcher {
 public:
  static constexpr size_t kMaxBatch = 256;

  explicit WriteBatcher(MetadataStore& metadata) : metadata_(metadata) {}

  // Inserts record (with its inline body, or naming a body already
  // durable) in some batch. Returns when it is durable (OK), or with the
  // record's own error: kConflict for a taken shortlink (retry with
  // another), or the batch's error. Thread-safe.
  Status Commit(const PasteRecord& record);

  // Batches committed so far, rows in them, writers waiting now, and the
  // time spent committing (for tests and metrics).
  size_t batches() const;
  size_t rows() const;
  size_t queued() const;
  double commit_seconds() const;

 private:
  struct Writer {
    const PasteRecord* record;
    Status status;
    bool done = false;
  };

  MetadataStore& metadata_;
  mutable std::mutex mu_;
  std::condition_variable cv_;  // a batch is done, or a new leader is due
  std::deque<Writer*> queue_;
  size_t batches_ = 0;
  size_t rows_ = 0;
  double commit_seconds_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_WRITE_BATCHER_H_
