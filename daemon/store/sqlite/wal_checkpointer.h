// WalCheckpointer: copies committed pages from SQLite's write-ahead log into
// the database file on a thread of its own, and keeps the WAL within a
// bound however fast writes come. The writer runs with wal_autocheckpoint=0
// and reports each commit's WAL size (Committed, from SQLite's WAL hook).
//
// Every kIntervalMs a PASSIVE checkpoint copies what it can without waiting
// for anyone; when writes pause, the writer's next commit starts the WAL over.
// Under sustained writes that moment never comes (each commit lands between
// a checkpoint's end and the next), so past limit/2 the writer asks for a
// RESTART checkpoint: it holds the writer back for as long as it copies the
// last frames and waits for readers to leave the WAL (milliseconds), and the
// next commit starts the WAL over. Past 3/4 of the limit a commit waits for
// that restart (at most kMaxHoldMs), so the file stays under the limit even
// when the checkpointer is slow to be scheduled. Only a reader holding one
// snapshot for longer than kRestartWaitMs can keep the WAL growing; that is
// logged. journal_size_limit cuts the file back to the limit at each start
// over. At destruction a TRUNCATE leaves the WAL empty.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_WAL_CHECKPOINTER_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_WAL_CHECKPOINTER_H_

#include <atomic>
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
  // How long a RESTART waits for readers (holding the writer back meanwhile).
  static constexpr int kRestartWaitMs = 500;
  // How long a commit past 3/4 of the limit waits for the restart.
  static constexpr int kMaxHoldMs = 2000;
  static constexpr int64_t kDefaultLimit = 64 << 20;

  // Opens its own connection to the database at path (in WAL mode) and
  // starts. limit: the bytes the WAL file may reach.
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path, int64_t limit);
  ~WalCheckpointer();  // stops, after a last TRUNCATE checkpoint

  // Installs the WAL hook on the writer's connection (removed again at
  // destruction).
  void Watch(SqliteDb& writer);
  // A commit left the WAL `frames` frames long (on the writer's thread).
  void Committed(int frames);

  // Checkpoints that ran, and of them restarts.
  int64_t runs() const { return runs_; }
  int64_t restarts() const { return restarts_; }
  // The largest the WAL has been, in bytes, as commits reported it.
  int64_t peak_bytes() const { return peak_bytes_; }

 private:
  WalCheckpointer(std::unique_ptr<SqliteDb> db, int64_t limit, int64_t page_size);
  void Run();
  int64_t BytesOf(int frames) const;

  std::unique_ptr<SqliteDb> db_;
  SqliteDb* watched_ = nullptr;  // the writer whose commits call us
  const int64_t limit_;
  const int64_t page_size_;
  std::mutex mu_;
  std::condition_variable wake_;       // the checkpointer: stop, or restart
  std::condition_variable restarted_;  // held commits: a restart finished
  bool stopping_ = false;
  bool restart_wanted_ = false;
  int64_t restarts_done_ = 0;  // under mu_, for held commits
  std::atomic<int64_t> runs_{0};
  std::atomic<int64_t> restarts_{0};
  std::atomic<int64_t> peak_bytes_{0};
  std::thread thread_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_WAL_CHECKPOINTER_H_
