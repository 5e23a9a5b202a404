#include "daemon/store/sqlite/wal_checkpointer.h"

#include <pthread.h>

#include <chrono>

#include "daemon/base/log.h"

namespace pastebin {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::string& path) {
  auto db = SqliteDb::Open(path, /*create=*/false);
  if (!db.ok()) return db.status();
  auto page_size = (*db)->QueryInt("PRAGMA page_size");
  if (!page_size.ok()) return page_size.status();
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(std::move(db).value()));
  c->page_size_ = *page_size;
  c->thread_ = std::thread([p = c.get()] {
    pthread_setname_np(pthread_self(), "pasted-ckpt");
    p->Run();
  });
  return c;
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  auto last = db_->Checkpoint(/*truncate=*/true);
  if (!last.ok()) LogWarn("last checkpoint failed: " + last.status().message());
}

void WalCheckpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(kIntervalMs));
    if (stopping_) break;
    lock.unlock();
    auto done = db_->Checkpoint(/*truncate=*/false);
    if (done.ok() && !done->busy &&
        static_cast<int64_t>(done->wal_frames) * page_size_ > kTruncateAboveBytes &&
        done->checkpointed < done->wal_frames) {
      // Readers keep the WAL from being started over: wait them out once.
      done = db_->Checkpoint(/*truncate=*/true);
    }
    if (!done.ok()) LogWarn("checkpoint failed: " + done.status().message());
    runs_++;
    lock.lock();
  }
}

}  // namespace pastebin
