#include "daemon/store/write_batcher.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace pastebin {

WriteBatcher::WriteBatcher(MetadataStore& metadata) : metadata_(metadata) {
  for (size_t i = 0; i < std::max<size_t>(1, metadata_.BatchesAtOnce()); ++i) {
    committers_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "pasted-commit");
      Run();
    });
  }
  syncer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "pasted-sync");
    RunSyncs();
  });
}

WriteBatcher::~WriteBatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : committers_) t.join();
  // The committers have handed over their last batches: the syncer syncs what is
  // left, then stops.
  {
    std::lock_guard<std::mutex> lock(mu_);
    committer_done_ = true;
  }
  sync_cv_.notify_all();
  syncer_.join();
}

void WriteBatcher::Submit(std::shared_ptr<const PasteRecord> record, Done done) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({std::move(record), std::move(done)});
    wake = idle_ > 0;
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
    // One batch ahead of the syncer at most: while one sync runs and the
    // next batch waits for it, new rows queue up into a batch of their own.
    // Without the wait batches shrank to a few rows, each writing whole
    // pages for them: more bytes per paste for the same rate.
    cv_.wait(lock, [&] { return unsynced_.empty() || !answers_.empty(); });
    if (!answers_.empty()) {
      Answer(lock);
      continue;
    }
    if (queue_.empty()) {
      if (stopping_) return;
      idle_++;
      cv_.wait(lock, [&] { return !queue_.empty() || stopping_ || !answers_.empty(); });
      idle_--;
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
    bool sync_needed = false;
    std::vector<Status> results = metadata_.InsertBatchUnsynced(records, &sync_needed);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Counted before anyone hears back: a writer that returns sees its
    // batch in batches() and rows().
    lock.lock();
    batches_++;
    rows_ += n;
    commit_seconds_ += seconds;
    if (sync_needed) {
      // The syncer syncs it and hands it back to be answered; this thread
      // goes on to the next batch.
      unsynced_.push_back({std::move(batch), std::move(results)});
      batch = std::vector<Entry>();
      sync_cv_.notify_one();
      continue;
    }
    // Durable as it returned: answered now.
    answers_.push_back({std::move(batch), std::move(results)});
    batch = std::vector<Entry>();
    Answer(lock);
  }
}

void WriteBatcher::RunSyncs() {
  std::vector<Unsynced> synced;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    sync_cv_.wait(lock, [&] { return !unsynced_.empty() || committer_done_; });
    if (unsynced_.empty()) {  // and the committer is done
      Answer(lock);
      return;
    }
    // Every batch here was committed before this sync starts: it makes
    // them all durable.
    synced.swap(unsynced_);
    cv_.notify_all();  // the committer may go on to the next batch
    lock.unlock();
    auto start = std::chrono::steady_clock::now();
    metadata_.SyncCommits();  // or the process stops
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    lock.lock();
    commit_seconds_ += seconds;
    for (Unsynced& u : synced) answers_.push_back(std::move(u));
    synced.clear();
    // The committer tells the writers (while this thread syncs the next
    // batch): they hear a wake-up later, the disk waits no longer for them.
    // A batch waiting here is taken next, and its notify wakes the
    // committer.
    if (committer_done_) {
      Answer(lock);
    } else if (unsynced_.empty()) {
      cv_.notify_all();
    }
  }
}

void WriteBatcher::Answer(std::unique_lock<std::mutex>& lock) {
  std::vector<Unsynced> answers;
  answers.swap(answers_);
  lock.unlock();
  for (Unsynced& u : answers) {
    for (size_t i = 0; i < u.batch.size(); ++i) u.batch[i].done(std::move(u.results[i]));
  }
  lock.lock();
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
