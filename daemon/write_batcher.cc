#include "daemon/write_batcher.h"

#include <algorithm>
#include <vector>

namespace pastebin {

Status WriteBatcher::Commit(const PasteRecord& record) {
  Writer w;
  w.record = &record;
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&w);
  while (!w.done && queue_.front() != &w) w.cv.wait(lock);
  if (w.done) return w.status;  // a leader committed us

  // We lead: take everyone queued so far.
  size_t n = std::min(queue_.size(), kMaxBatch);
  std::vector<Writer*> batch(queue_.begin(), queue_.begin() + n);
  lock.unlock();

  std::vector<const PasteRecord*> records;
  records.reserve(n);
  for (Writer* each : batch) records.push_back(each->record);
  // Bodies first: no row may become durable before the body it names.
  Status synced = bodies_.Sync();
  std::vector<Status> results =
      synced.ok() ? metadata_.InsertBatch(records) : std::vector<Status>(n, synced);

  lock.lock();
  batches_++;
  rows_ += n;
  for (size_t i = 0; i < n; ++i) {
    Writer* each = queue_.front();
    queue_.pop_front();
    each->status = results[i];
    each->done = true;
    if (each != &w) each->cv.notify_one();
  }
  // Hand the lead to whoever queued while we were writing.
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  return w.status;
}

size_t WriteBatcher::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

size_t WriteBatcher::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

size_t WriteBatcher::rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_;
}

}  // namespace pastebin
