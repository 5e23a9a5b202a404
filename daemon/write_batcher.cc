#include "daemon/write_batcher.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace pastebin {

Status WriteBatcher::Commit(const PasteRecord& record) {
  Writer w;
  w.record = &record;
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&w);
  cv_.wait(lock, [&] { return w.done || queue_.front() == &w; });
  if (w.done) return w.status;  // a leader committed us

  // We lead: take everyone queued so far.
  size_t n = std::min(queue_.size(), kMaxBatch);
  std::vector<const PasteRecord*> records;
  records.reserve(n);
  for (size_t i = 0; i < n; ++i) records.push_back(queue_[i]->record);
  lock.unlock();

  auto start = std::chrono::steady_clock::now();
  std::vector<Status> results = metadata_.InsertBatch(records);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  lock.lock();
  batches_++;
  rows_ += n;
  commit_seconds_ += seconds;
  for (size_t i = 0; i < n; ++i) {
    Writer* each = queue_.front();
    queue_.pop_front();
    each->status = std::move(results[i]);
    each->done = true;
  }
  // One wake-up for the whole batch, and for whoever leads the next.
  if (n > 1 || !queue_.empty()) cv_.notify_all();
  return w.status;
}

size_t WriteBatcher::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

size_t WriteBatcher::rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_;
}

size_t WriteBatcher::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

double WriteBatcher::commit_seconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commit_seconds_;
}

}  // namespace pastebin
