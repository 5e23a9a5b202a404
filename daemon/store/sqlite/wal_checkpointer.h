// WalCheckpointer: copies committed pages from SQLite's write-ahead log into
// the database file on a thread of its own, so that no commit (and no
// waiting writer) pays for it. The writer runs with wal_autocheckpoint=0.
//
// Every kIntervalMs it runs a PASSIVE checkpoint, which takes what it can
// without waiting for readers or the writer. Once the WAL is wholly copied,
// the writer starts it over at its next commit and journal_size_limit cuts
// the file back. Should readers keep it from ever being wholly copied, a
// WAL over kTruncateAboveBytes gets a TRUNCATE checkpoint, which waits for
// them. At destruction a last TRUNCATE leaves the WAL empty.
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
  static constexpr int64_t kTruncateAboveBytes = 256 << 20;

  // Opens its own connection to the database at path and starts.
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path);
  ~WalCheckpointer();  // stops, after a last TRUNCATE checkpoint

  // Checkpoints that ran.
  int64_t runs() const { return runs_; }

 private:
  explicit WalCheckpointer(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  void Run();

  std::unique_ptr<SqliteDb> db_;
  int64_t page_size_ = 4096;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<int64_t> runs_{0};
  std::thread thread_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_WAL_CHECKPOINTER_H_
