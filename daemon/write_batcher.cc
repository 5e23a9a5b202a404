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
  while (!w.done && queue_.front() != &w) w.cv.wait(lock);
  if (w.done) return w.status;  // a leader committed us

  // We lead: take everyone queued so far.
  size_t n = std::min(queue_.size(), kMaxBatch);
  std::vector<Writer*> batch(queue_.begin(), queue_.begin() + n);
  lock.unlock();

  std::vector<const PasteRecord*> records;
  records.reserve(n);
  for (Writer* each : batch) records.push_back(each->record);
  // Bodies first: no row may become durable before the body it names. A
  // batch of short links only has no body to sync.
  bool has_body = std::any_of(records.begin(), records.end(),
                              [](const PasteRecord* r) { return !r->paste_path.empty(); });
  auto start = std::chrono::steady_clock::now();
  Status synced = has_body ? bodies_.Sync() : Status::Ok();
  auto synced_at = std::chrono::steady_clock::now();
  std::vector<Status> results =
      synced.ok() ? metadata_.InsertBatch(records) : std::vector<Status>(n, synced);
  auto inserted_at = std::chrono::steady_clock::now();

  lock.lock();
  batches_++;
  rows_ += n;
  sync_seconds_ += std::chrono::duration<double>(synced_at - start).count();
  insert_seconds_ += std::chrono::duration<double>(inserted_at - synced_at).count();
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

double WriteBatcher::sync_seconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sync_seconds_;
}

double WriteBatcher::insert_seconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return insert_seconds_;
}

size_t WriteBatcher::rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_;
}

}  // namespace pastebin
