// ReadCombiner<T>: lookups by key from many threads, run as few batches.
// A caller that finds fewer than max_running batches out takes every key
// waiting (its own among them, up to max_batch) and fetches them all in
// one call; keys that arrive meanwhile wait, and the next free caller
// takes them together. So a round trip's cost (a query to a database
// server, say) is paid once for whatever queued during the last one, and
// batches grow by themselves under load. A lone lookup is a batch of one,
// at the cost of one lock.
//
// GetLater asks without waiting: its answer goes to a callback, and a
// thread of the combiner's own (started at the first GetLater) runs the
// batches no waiting caller runs. An event loop asks so, and is told
// later, without a thread per lookup parked on the way.
//
// fetch(keys) must answer each key, in order, and must not throw (a batch
// it threw on would leave its other callers waiting). The same key twice
// in a batch is asked twice. Thread-safe. Destruction waits for the
// batches out and answers every GetLater still waiting.
#ifndef PASTEBIN_DAEMON_BASE_READ_COMBINER_H_
#define PASTEBIN_DAEMON_BASE_READ_COMBINER_H_

#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace pastebin {

template <typename T>
class ReadCombiner {
 public:
  using Fetch = std::function<std::vector<T>(const std::vector<std::string>& keys)>;

  // thread_name: the name GetLater's thread goes by (at most 15 bytes).
  ReadCombiner(size_t max_running, size_t max_batch, Fetch fetch,
               const char* thread_name = "pasted-combine")
      : max_running_(max_running ? max_running : 1),
        max_batch_(max_batch ? max_batch : 1),
        fetch_(std::move(fetch)),
        thread_name_(thread_name) {}
  ~ReadCombiner() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    helper_wake_.notify_one();
    if (helper_.joinable()) helper_.join();
  }
  ReadCombiner(const ReadCombiner&) = delete;
  ReadCombiner& operator=(const ReadCombiner&) = delete;

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

  // Asks for key's answer and returns at once: done(answer) runs on the
  // thread that ran its batch (the combiner's own, or a Get's caller).
  void GetLater(std::string key, std::function<void(T)> done) {
    auto ask = std::make_unique<Ask>();
    ask->key = std::move(key);
    ask->done = std::move(done);
    std::lock_guard<std::mutex> lock(mu_);
    if (!helper_.joinable()) {
      helper_ = std::thread([this] {
        pthread_setname_np(pthread_self(), thread_name_);
        Help();
      });
    }
    waiting_.push_back(ask.release());  // RunBatch deletes it
    // With a batch out, its end wakes the helper (WakeNext).
    if (running_ < max_running_) helper_wake_.notify_one();
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
    // Set instead for GetLater: no caller waits, this is told the answer.
    std::function<void(T)> done;
  };

  // Takes the oldest waiting keys and fetches them with mu_ released;
  // returns with mu_ held again.
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
    std::vector<std::pair<Ask*, T>> later;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i]->done) {
        later.emplace_back(batch[i], std::move(got.at(i)));
        continue;
      }
      batch[i]->answer = std::move(got.at(i));
      batch[i]->wake.notify_one();
    }
    WakeNext();
    if (later.empty()) return;
    lock.unlock();  // callbacks run without the lock
    for (auto& [ask, answer] : later) {
      try {
        ask->done(std::move(answer));
      } catch (const std::exception&) {
        // Out of memory telling it: that answer is lost (its asker's
        // connection times out, as with a worker's answer lost so).
      }
      delete ask;
    }
    lock.lock();
  }

  // The next batch is the oldest waiting caller's to run, or the helper's
  // when that is a GetLater. Under mu_.
  void WakeNext() {
    if (waiting_.empty()) return;
    if (waiting_.front()->done) {
      helper_wake_.notify_one();
    } else {
      waiting_.front()->wake.notify_one();
    }
  }

  // The combiner's thread: runs batches while GetLater's wait, and at
  // destruction until none is left.
  void Help() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      helper_wake_.wait(lock, [this] {
        return (stopping_ && waiting_.empty()) ||
               (running_ < max_running_ && !waiting_.empty() && waiting_.front()->done);
      });
      if (waiting_.empty()) return;  // stopping, and every ask answered
      RunBatch(lock);
    }
  }

  const size_t max_running_;
  const size_t max_batch_;
  const Fetch fetch_;
  const char* const thread_name_;
  mutable std::mutex mu_;
  std::deque<Ask*> waiting_;  // on its caller's stack (Get), or owned (GetLater)
  size_t running_ = 0;
  size_t batches_ = 0;
  size_t keys_ = 0;
  bool stopping_ = false;
  std::condition_variable helper_wake_;
  std::thread helper_;  // from the first GetLater on
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_READ_COMBINER_H_
