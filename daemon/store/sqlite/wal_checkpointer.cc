#include "daemon/store/sqlite/wal_checkpointer.h"

#include <pthread.h>
#include <sqlite3.h>

#include <chrono>

#include "daemon/base/log.h"

namespace pastebin {
namespace {

// SQLite's WAL hook: after each commit of the writer's.
int OnCommit(void* checkpointer, sqlite3*, const char*, int frames) {
  static_cast<WalCheckpointer*>(checkpointer)->Committed(frames);
  return SQLITE_OK;
}

// A WAL file's header, and each frame's header before its page.
constexpr int64_t kWalHeader = 32;
constexpr int64_t kFrameHeader = 24;

}  // namespace

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::string& path,
                                                                int64_t limit) {
  auto db = SqliteDb::Open(path, /*create=*/false);
  if (!db.ok()) return db.status();
  // Read the database once: only then does the connection find it in WAL
  // mode and open the WAL. Without this every checkpoint was a no-op (it
  // reported -1 frames) and the WAL grew without end under writes.
  auto tables = (*db)->QueryInt("SELECT count(*) FROM sqlite_schema");
  if (!tables.ok()) return tables.status();
  auto page_size = (*db)->QueryInt("PRAGMA page_size");
  if (!page_size.ok()) return page_size.status();
  auto first = (*db)->Checkpoint(CheckpointMode::kPassive);
  if (!first.ok()) return first.status();
  // -1 frames also when another connection's checkpoint is running (BUSY):
  // a live pasted's, under pasted export. Only an idle one tells the mode.
  if (first->wal_frames < 0 && !first->busy) {
    return Internal("database " + path + " is not in WAL mode; its checkpoints cannot run");
  }
  (*db)->SetBusyTimeout(kRestartWaitMs);
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(std::move(db).value(), limit, *page_size));
  c->thread_ = std::thread([p = c.get()] {
    pthread_setname_np(pthread_self(), "pasted-ckpt");
    p->Run();
  });
  return c;
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<SqliteDb> db, int64_t limit, int64_t page_size)
    : db_(std::move(db)), limit_(limit), page_size_(page_size) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  restarted_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (watched_ != nullptr) sqlite3_wal_hook(watched_->handle(), nullptr, nullptr);
  db_->SetBusyTimeout(10000);
  auto last = db_->Checkpoint(CheckpointMode::kTruncate);
  if (!last.ok()) LogWarn("last checkpoint failed: " + last.status().message());
}

void WalCheckpointer::Watch(SqliteDb& writer) {
  watched_ = &writer;
  sqlite3_wal_hook(writer.handle(), OnCommit, this);
}

int64_t WalCheckpointer::BytesOf(int frames) const {
  return kWalHeader + static_cast<int64_t>(frames) * (page_size_ + kFrameHeader);
}

void WalCheckpointer::Committed(int frames) {
  int64_t bytes = BytesOf(frames);
  int64_t peak = peak_bytes_.load(std::memory_order_relaxed);
  while (bytes > peak && !peak_bytes_.compare_exchange_weak(peak, bytes)) {
  }
  if (bytes <= limit_ / 2) return;
  std::unique_lock<std::mutex> lock(mu_);
  if (!restart_wanted_) {
    restart_wanted_ = true;
    wake_.notify_one();
  }
  if (bytes <= limit_ / 4 * 3) return;
  // Near the limit: hold this writer until the WAL is started over.
  int64_t seen = restarts_done_;
  bool done = restarted_.wait_for(lock, std::chrono::milliseconds(kMaxHoldMs),
                                  [&] { return stopping_ || restarts_done_ != seen; });
  if (!done) {
    LogWarn("the WAL is " + std::to_string(bytes >> 20) +
            " MiB, near wal_limit, and could not be started over within " +
            std::to_string(kMaxHoldMs) + " ms: a reader holds an old snapshot");
  }
}

void WalCheckpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(kIntervalMs),
                   [this] { return stopping_ || restart_wanted_; });
    if (stopping_) break;
    bool restart = restart_wanted_;
    lock.unlock();
    auto done = db_->Checkpoint(restart ? CheckpointMode::kRestart : CheckpointMode::kPassive);
    if (!done.ok()) LogWarn("checkpoint failed: " + done.status().message());
    runs_++;
    if (restart) restarts_++;
    lock.lock();
    if (restart) {
      // Whether or not readers let it finish: held commits go on (and ask
      // again if the WAL is still long).
      restart_wanted_ = false;
      restarts_done_++;
      restarted_.notify_all();
    }
  }
}

}  // namespace pastebin
