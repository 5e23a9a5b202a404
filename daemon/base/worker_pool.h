// WorkerPool: a fixed set of threads running queued tasks, for request
// handlers that may block (disk syncs, gc) and reads that missed the cache.
#ifndef PASTEBIN_DAEMON_BASE_WORKER_POOL_H_
#define PASTEBIN_DAEMON_BASE_WORKER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pastebin {

class WorkerPool {
 public:
  // name: what its threads are called in top -H and /proc (at most 15
  // characters).
  WorkerPool(size_t threads, const char* name);
  ~WorkerPool();  // Shutdown()

  // Queues task unless max_queued tasks already wait; false then (the caller
  // answers "busy" instead). Thread-safe.
  bool Submit(std::function<void()> task, size_t max_queued);

  // Runs what is queued, then joins the threads. Idempotent.
  void Shutdown();

  size_t queued() const;

 private:
  void Run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  size_t idle_ = 0;  // threads waiting for a task
  std::vector<std::thread> threads_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_WORKER_POOL_H_
