#include "daemon/store/write_batcher.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace pastebin {

WriteBatcher::WriteBatcher(MetadataStore& metadata) : metadata_(metadata) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "pasted-commit");
    Run();
  });
}

WriteBatcher::~WriteBatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WriteBatcher::Submit(std::shared_ptr<const PasteRecord> record, Done done) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({std::move(record), std::move(done)});
    wake = idle_;
    idle_ = false;
  }
  // Only an idle committer needs waking: a busy one takes the queue when
  // its commit is done.
  if (wake) cv_.notify_one();
}

Status WriteBatcher::Commit(const PasteRecord& record) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  Status result;
  Submit(std::make_shared<const PasteRecord>(record), [&](Status s) {
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(s);
    done = true;
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  return result;
}

void WriteBatcher::Run() {
  std::vector<Entry> batch;
  std::vector<const PasteRecord*> records;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (queue_.empty()) {
      if (stopping_) return;
      idle_ = true;
      cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      idle_ = false;
      continue;
    }
    size_t n = std::min(queue_.size(), kMaxBatch);
    batch.clear();
    records.clear();
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
      records.push_back(batch.back().record.get());
    }
    lock.unlock();

    auto start = std::chrono::steady_clock::now();
    std::vector<Status> results = metadata_.InsertBatch(records);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Counted before anyone hears back: a writer that returns sees its
    // batch in batches() and rows().
    lock.lock();
    batches_++;
    rows_ += n;
    commit_seconds_ += seconds;
    lock.unlock();
    for (size_t i = 0; i < n; ++i) batch[i].done(std::move(results[i]));
    lock.lock();
  }
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
