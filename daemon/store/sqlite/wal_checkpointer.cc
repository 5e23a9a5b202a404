#include "daemon/store/sqlite/wal_checkpointer.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

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

// After a failed sync the kernel may mark the pages it could not write
// clean: in memory, not on the disk, and no later sync writes them again.
// Of the database: the WAL still holds them, but SQLite's next sync of the
// database succeeds (the kernel reports an error once to each descriptor),
// the checkpoint that reaches the WAL's end then starts the WAL over, and
// they are gone. Of the WAL (SyncWal): commits already visible would stay
// off the disk, and every commit after them with them, as recovery stops
// at the first frame it cannot read. So, as PostgreSQL does, stop at once,
// without closing the database (a close checkpoints too): at the next
// start SQLite recovers every committed frame from the WAL (from memory,
// where the kernel still has it) and copies it into the database again.
[[noreturn]] void StopOnFailedSync(const std::string& what) {
  LogError(what +
           "; pages written may not be on the disk, so pasted stops without closing the"
           " database: the next start copies every commit from the WAL into it again. Check"
           " the disk (dmesg) before starting pasted again");
  _exit(EXIT_FAILURE);
}

// A checkpoint of db's that failed on a sync stops pasted (above).
void StopIfSyncFailed(const Result<WalCheckpoint>& done, const SqliteDb& db) {
  if (!done.ok() && db.LastFailureWasSync()) StopOnFailedSync(done.status().message());
}

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
  StopIfSyncFailed(first, **db);
  if (!first.ok()) return first.status();
  // -1 frames also when another connection's checkpoint is running (BUSY):
  // a live pasted's, under pasted export. Only an idle one tells the mode.
  if (first->wal_frames < 0 && !first->busy) {
    return Internal("database " + path + " is not in WAL mode; its checkpoints cannot run");
  }
  (*db)->SetBusyTimeout(kRestartWaitMs);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Internal("cannot open database " + path +
                    " to sync its checkpoints: " + strerror(errno) + "; check its permissions");
  }
  // The read above made SQLite open (and if need be create) the WAL, which
  // stays while any connection is open: SQLite cuts it short, never
  // replaces it.
  const std::string wal = path + "-wal";
  int wal_fd = open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (wal_fd < 0) {
    close(fd);
    return Internal("cannot open the write-ahead log " + wal +
                    " to sync its commits: " + strerror(errno) + "; check its permissions");
  }
  std::unique_ptr<WalCheckpointer> c(
      new WalCheckpointer(std::move(db).value(), fd, wal_fd, limit, *page_size));
  c->thread_ = std::thread([p = c.get()] {
    pthread_setname_np(pthread_self(), "pasted-ckpt");
    p->Run();
  });
  return c;
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<SqliteDb> db, int db_fd, int wal_fd, int64_t limit,
                                 int64_t page_size)
    : db_(std::move(db)), db_fd_(db_fd), wal_fd_(wal_fd), limit_(limit), page_size_(page_size) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (watched_ != nullptr) sqlite3_wal_hook(watched_->handle(), nullptr, nullptr);
  db_->SetBusyTimeout(10000);
  auto last = db_->Checkpoint(CheckpointMode::kTruncate);
  StopIfSyncFailed(last, *db_);
  if (!last.ok()) LogWarn("last checkpoint failed: " + last.status().message());
  close(db_fd_);
  close(wal_fd_);
}

void WalCheckpointer::SyncWal() {
  // The kernel reports a failed write-back to every descriptor open at the
  // time, so this one sees failures of SQLite's own syncs as well.
  if (fdatasync(wal_fd_) != 0) {
    StopOnFailedSync("syncing the write-ahead log " + db_->path() + "-wal failed (" +
                     strerror(errno) + ")");
  }
}

void WalCheckpointer::SyncDatabase() {
  database_syncs_++;
  if (fdatasync(db_fd_) != 0) {
    StopOnFailedSync("syncing the checkpointed pages of " + db_->path() + " failed (" +
                     strerror(errno) + ")");
  }
}

void WalCheckpointer::Watch(SqliteDb& writer) {
  watched_ = &writer;
  sqlite3_wal_hook(writer.handle(), OnCommit, this);
}

int64_t WalCheckpointer::BytesOf(int frames) const {
  return kWalHeader + static_cast<int64_t>(frames) * (page_size_ + kFrameHeader);
}

void WalCheckpointer::Committed(int frames) {
  commits_.fetch_add(1, std::memory_order_release);
  int64_t bytes = BytesOf(frames);
  int64_t peak = peak_bytes_.load(std::memory_order_relaxed);
  while (bytes > peak && !peak_bytes_.compare_exchange_weak(peak, bytes)) {
  }
  past_half_.store(bytes > limit_ / 2, std::memory_order_relaxed);
  if (bytes <= limit_ / 2 || watched_ == nullptr) return;
  if (!caught_up_ && bytes <= limit_ / 4 * 3) {
    // Let the passive checkpoints catch up first (without waiting between
    // them): the restart then has a few frames left to copy.
    std::lock_guard<std::mutex> lock(mu_);
    if (!hurry_) {
      hurry_ = true;
      wake_.notify_one();
    }
    return;
  }
  restart_due_ = true;
  due_bytes_ = bytes;
}

void WalCheckpointer::RestartIfDue() {
  if (!restart_due_) return;
  restart_due_ = false;
  const int64_t bytes = due_bytes_;
  auto now = std::chrono::steady_clock::now();
  if (now < next_restart_) return;  // a reader held the last one back
  // Here, on the writer's thread between two of its commits, the restart
  // races no commit for the write lock; it waits for a passive checkpoint
  // still running (SQLite runs one checkpoint at a time, and would refuse
  // the restart at once).
  std::lock_guard<std::mutex> one_at_a_time(checkpoint_mu_);
  watched_->SetBusyTimeout(kRestartWaitMs);
  auto done = watched_->Checkpoint(CheckpointMode::kRestart);
  StopIfSyncFailed(done, *watched_);
  watched_->SetBusyTimeout(SqliteDb::kDefaultBusyTimeoutMs);
  if (done.ok() && done->busy && done->wal_frames < 0) {
    // Refused at once, without a wait (SQLite calls no busy handler for
    // this): another process's checkpoint is running, most often a passive
    // one of pasted import's or export's, over in a few ms. Nothing ran, so
    // the next commit tries again; the operator hears only of a refusal
    // that lasts.
    if (refused_since_ == std::chrono::steady_clock::time_point{}) refused_since_ = now;
    if (!refusal_told_ && now - refused_since_ >= std::chrono::milliseconds(kRestartRetryMs)) {
      refusal_told_ = true;
      LogWarn(TooLarge(bytes) +
              ": another process is checkpointing the database (pasted import or export, or"
              " an sqlite3 shell); trying again after each commit");
    }
    return;
  }
  refused_since_ = {};
  refusal_told_ = false;
  caught_up_ = false;
  runs_++;
  restarts_++;
  if (done.ok() && !done->busy) return;
  next_restart_ = now + std::chrono::milliseconds(kRestartRetryMs);
  LogWarn(TooLarge(bytes) +
          (done.ok() ? ": a reader holds an old snapshot, or another process holds the write lock"
                     : ": " + done.status().message()) +
          "; trying again in " + std::to_string(kRestartRetryMs) + " ms");
}

std::string WalCheckpointer::TooLarge(int64_t bytes) const {
  return "the WAL is " + std::to_string(bytes >> 20) + " MiB (wal_limit " +
         std::to_string(limit_ >> 20) + " MiB) and could not be started over";
}

void WalCheckpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(kIntervalMs),
                   [this] { return stopping_ || hurry_; });
    if (stopping_) break;
    lock.unlock();
    Result<WalCheckpoint> done = WalCheckpoint{};
    auto started = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> one_at_a_time(checkpoint_mu_);
      done = db_->Checkpoint(CheckpointMode::kPassive);
      StopIfSyncFailed(done, *db_);
    }
    // SQLite syncs the database only after a checkpoint that copied up to
    // the WAL's end, which under sustained writes a passive one never does
    // (commits land while it copies). So every page the passives wrote was
    // left for the writer's restart to sync: 45-60 ms of fdatasync while
    // commits waited, the p99 of sustained writes. Past limit/2, with a
    // restart coming, each passive syncs what it copied here, on this
    // thread, and the restart has only its own few pages left. Below, the
    // pages stay in the page cache, where later commits' changes to the
    // same pages coalesce before they are written.
    const bool past_half = done.ok() && BytesOf(done->wal_frames) > limit_ / 2;
    if (past_half && done->checkpointed > 0) SyncDatabase();
    auto took = std::chrono::steady_clock::now() - started;
    if (!done.ok()) LogWarn("checkpoint failed: " + done.status().message());
    runs_++;
    lock.lock();
    // Every frame copied (and synced) while the WAL is past limit/2, by a
    // checkpoint short enough that few commits came in meanwhile: the
    // writer may restart it now, cheaply (it copies and syncs those few).
    // A long one (the first past limit/2 syncs all the passives copied
    // before) is followed at once by another, each shorter than the last,
    // unless the WAL is past 5/8 already. Whatever came of it, the next
    // pause waits again unless the writer asks anew (a WAL started over, or
    // a failed checkpoint, must not make this loop spin).
    if (past_half && done->wal_frames > 0 && done->checkpointed == done->wal_frames &&
        (took <= std::chrono::milliseconds(kCaughtUpMs) ||
         BytesOf(done->wal_frames) > limit_ / 8 * 5)) {
      caught_up_ = true;
    }
    hurry_ = false;
  }
}

}  // namespace pastebin
