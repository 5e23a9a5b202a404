// WalCheckpointer: copies committed pages from SQLite's write-ahead log into
// the database file on a thread of its own, and keeps the WAL within a
// bound however fast writes come. The writer runs with wal_autocheckpoint=0
// and reports each commit's WAL size (Committed, from SQLite's WAL hook).
//
// Every kIntervalMs a PASSIVE checkpoint copies what it can without waiting
// for anyone; when writes pause, the writer's next commit starts the WAL over.
// Under sustained writes that moment never comes (each commit lands between
// a checkpoint's end and the next). So once a commit leaves the WAL past
// limit/2, the passive checkpoints run without pause, each syncing the
// database after it (SQLite syncs only after a checkpoint that reached the
// WAL's end, never a passive one under load), until one has copied every
// frame in under kCaughtUpMs; then the writer itself, on its own thread
// right after its next commit and still holding the write lock, runs a
// RESTART checkpoint: it copies and syncs the few frames committed since,
// waits for readers to leave the WAL, and the next commit starts the WAL
// over. Past 3/4 of the limit the writer restarts without waiting for the
// passive ones to catch up.
// Before, a checkpoint thread asked for the restart and lost the write lock
// to the next commit again and again (SQLite's busy handler sleeps between
// tries) while commits past 3/4 were held for it: 120 s of 1 KiB writes at
// 64 connections had a p99 of 213 ms. Then the restart did the database's
// only fdatasync, for every page the passives had copied: 45-60 ms, with
// commits queued behind it (p99 90-105 ms over 40 s); now 3-4 ms (p99
// 21-23 ms).
// Only a reader holding one snapshot for longer than kRestartWaitMs (or
// another process holding the write lock as long) can keep the WAL growing;
// that is logged, and the restart tried again after kRestartRetryMs. A
// restart refused at once because another process (pasted import or
// export) is checkpointing is tried again after the next commit, and logged
// only if that lasts kRestartRetryMs. journal_size_limit cuts the file back
// to the limit at each start over. At destruction a TRUNCATE leaves the WAL
// empty.
// A failed sync of the database, ours or a checkpoint's, ends the process
// at once (exit status 1) without closing the database: see
// StopOnFailedSync in the .cc.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_WAL_CHECKPOINTER_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_WAL_CHECKPOINTER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "daemon/store/sqlite/sqlite.h"

namespace pastebin {

class WalCheckpointer {
 public:
  static constexpr int kIntervalMs = 100;
  // A passive checkpoint this short leaves the restart few frames to copy.
  static constexpr int kCaughtUpMs = 10;
  // How long a RESTART waits for readers (holding the writer back meanwhile).
  static constexpr int kRestartWaitMs = 500;
  // After a restart readers held back, the next try waits this long.
  static constexpr int kRestartRetryMs = 1000;
  static constexpr int64_t kDefaultLimit = 64 << 20;

  // Opens its own connection to the database at path (in WAL mode) and
  // starts. limit: the bytes the WAL file may reach.
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path, int64_t limit);
  ~WalCheckpointer();  // stops, after a last TRUNCATE checkpoint

  // Installs the WAL hook on the writer's connection (removed again at
  // destruction).
  void Watch(SqliteDb& writer);
  // A commit left the WAL `frames` frames long (on the writer's thread,
  // inside SQLite's WAL hook): past limit/2 it hurries the passive
  // checkpoints, or marks a restart due for RestartIfDue.
  void Committed(int frames);
  // On the writer's thread after its commit, outside SQLite (the writer's
  // lock still held): restarts the WAL if Committed found it due.
  void RestartIfDue();

  // fdatasync of the WAL file: makes every commit written before it
  // durable, for a writer that commits with synchronous=NORMAL and syncs on
  // a thread of its own. A failure stops the process (StopOnFailedSync):
  // those commits are visible already, and the pages the kernel could not
  // write may be marked clean, so no later sync would write them.
  // Thread-safe.
  void SyncWal();

  // Its read-only descriptors of the database and the WAL, open as long as
  // it is: for reading their pages in ahead (PageFetcher).
  int database_fd() const { return db_fd_; }
  int wal_fd() const { return wal_fd_; }

  // Checkpoints that ran, and of them restarts.
  int64_t runs() const { return runs_; }
  int64_t restarts() const { return restarts_; }
  // Syncs of the database file after passive checkpoints past limit/2.
  int64_t database_syncs() const { return database_syncs_; }
  // The largest the WAL has been, in bytes, as commits reported it.
  int64_t peak_bytes() const { return peak_bytes_; }
  // The watched writer's commits that wrote anything, counted as each
  // returns (SQLite's WAL hook): a reader that saw this count before its
  // read transaction began sees every one of them.
  uint64_t commits() const { return commits_.load(std::memory_order_acquire); }
  // The WAL is past half its limit: a restart is near, and it waits for
  // every reader of the WAL's frames to leave. Readers that keep a read
  // transaction open between lookups should not, until it has run.
  bool restart_near() const { return past_half_.load(std::memory_order_relaxed); }

 private:
  WalCheckpointer(std::unique_ptr<SqliteDb> db, int db_fd, int wal_fd, int64_t limit,
                  int64_t page_size);
  void Run();
  // fdatasync of the database file: the pages a passive checkpoint copied.
  void SyncDatabase();
  int64_t BytesOf(int frames) const;
  // "the WAL is N MiB (wal_limit M MiB) and could not be started over".
  std::string TooLarge(int64_t bytes) const;

  std::unique_ptr<SqliteDb> db_;
  const int db_fd_;              // the database file, read-only: for SyncDatabase
  const int wal_fd_;             // the WAL file, read-only: for SyncWal
  SqliteDb* watched_ = nullptr;  // the writer whose commits call us
  const int64_t limit_;
  const int64_t page_size_;
  std::mutex mu_;
  std::condition_variable wake_;  // the checkpointer: stop, or hurry
  bool stopping_ = false;
  bool hurry_ = false;  // the WAL is past limit/2: checkpoint without pause
  // A passive checkpoint copied every frame of a WAL past limit/2.
  std::atomic<bool> caught_up_{false};
  // The writer's thread only: a restart is due, and the WAL's size then.
  bool restart_due_ = false;
  int64_t due_bytes_ = 0;
  // One checkpoint at a time: the thread's passive ones, the writer's restarts.
  std::mutex checkpoint_mu_;
  // The writer's thread only: when it may try a restart again.
  std::chrono::steady_clock::time_point next_restart_;
  // The writer's thread only: since when restarts have been refused at once
  // (another process checkpointing; epoch: they are not), and whether the
  // operator was told.
  std::chrono::steady_clock::time_point refused_since_;
  bool refusal_told_ = false;
  std::atomic<int64_t> runs_{0};
  std::atomic<int64_t> restarts_{0};
  std::atomic<int64_t> database_syncs_{0};
  std::atomic<int64_t> peak_bytes_{0};
  std::atomic<uint64_t> commits_{0};
  std::atomic<bool> past_half_{false};  // as the last commit left the WAL
  std::thread thread_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_WAL_CHECKPOINTER_H_
