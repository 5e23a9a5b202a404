#include "daemon/base/worker_pool.h"

#include <pthread.h>

namespace pastebin {

WorkerPool::WorkerPool(size_t threads, const char* name) {
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this, name] {
      pthread_setname_np(pthread_self(), name);
      Run();
    });
  }
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::Submit(std::function<void()> task, size_t max_queued) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || tasks_.size() >= max_queued) return false;
    tasks_.push_back(std::move(task));
    // A busy pool takes the task when a thread is done: no wake-up needed.
    wake = idle_ > tasks_.size() - 1;
  }
  if (wake) cv_.notify_one();
  return true;
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

size_t WorkerPool::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tasks_.size();
}

void WorkerPool::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      idle_++;
      cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      idle_--;
      if (tasks_.empty()) return;  // stopping and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace pastebin
