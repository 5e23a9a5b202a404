// ReadCombiner<T>: lookups by key from many threads, run as few batches.
// A caller that finds fewer than max_running batches out takes every key
// waiting (its own among them, up to max_batch) and fetches them all in
// one call; keys that arrive meanwhile wait, and the next free caller
// takes them together. So a round trip's cost (a query to a database
// server, say) is paid once for whatever queued during the last one, and
// batches grow by themselves under load. No thread of its own: a lone
// lookup is a batch of one, at the cost of one lock.
//
// fetch(keys) must answer each key, in order, and must not throw (a batch
// it threw on would leave its other callers waiting). The same key twice
// in a batch is asked twice. Thread-safe.
#ifndef PASTEBIN_DAEMON_BASE_READ_COMBINER_H_
#define PASTEBIN_DAEMON_BASE_READ_COMBINER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pastebin {

template <typename T>
class ReadCombiner {
 public:
  using Fetch = std::function<std::vector<T>(const std::vector<std::string>& keys)>;

  ReadCombiner(size_t max_running, size_t max_batch, Fetch fetch)
      : max_running_(max_running ? max_running : 1),
        max_batch_(max_batch ? max_batch : 1),
        fetch_(std::move(fetch)) {}

  // key's answer, from a batch this caller or another one ran.
  T Get(std::string key) {
    Ask me;
    me.key = std::move(key);
    std::unique_lock<std::mutex> lock(mu_);
    waiting_.push_back(&me);
    for (;;) {
      if (me.answer) return std::move(*me.answer);
      if (running_ < max_running_ && !waiting_.empty()) {
        RunBatch(lock);  // this caller's key, or those queued before it
        continue;
      }
      me.wake.wait(lock);
    }
  }

  // Batches run and keys asked so far (for tests and metrics).
  size_t batches() const {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }
  size_t keys() const {
    std::lock_guard<std::mutex> lock(mu_);
    return keys_;
  }
  // Keys waiting for a batch now.
  size_t waiting() const {
    std::lock_guard<std::mutex> lock(mu_);
    return waiting_.size();
  }

 private:
  struct Ask {
    std::string key;
    std::optional<T> answer;
    // Its caller's own: woken for its answer, or to run the next batch.
    // (One for all woke every waiting caller at each answer: measured as
    // most of a miss's CPU, in context switches.)
    std::condition_variable wake;
  };

  // Takes the oldest waiting keys and fetches them with mu_ released.
  void RunBatch(std::unique_lock<std::mutex>& lock) {
    std::vector<Ask*> batch;
    std::vector<std::string> keys;
    while (!waiting_.empty() && batch.size() < max_batch_) {
      batch.push_back(waiting_.front());
      keys.push_back(batch.back()->key);
      waiting_.pop_front();
    }
    ++running_;
    ++batches_;
    keys_ += batch.size();
    lock.unlock();
    std::vector<T> got = fetch_(keys);
    lock.lock();
    --running_;
    // Under mu_: an answered caller may return, and its Ask be gone, as
    // soon as mu_ is free.
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->answer = std::move(got.at(i));
      batch[i]->wake.notify_one();
    }
    if (!waiting_.empty()) waiting_.front()->wake.notify_one();  // the next batch is its
  }

  const size_t max_running_;
  const size_t max_batch_;
  const Fetch fetch_;
  mutable std::mutex mu_;
  std::deque<Ask*> waiting_;  // each on its caller's stack, in Get
  size_t running_ = 0;
  size_t batches_ = 0;
  size_t keys_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_READ_COMBINER_H_
