// AccessLog: request lines (see log_line.h) appended to a file without
// request threads ever touching the disk. Append() only copies the line into
// a buffer; Flush(), called by the main loop every second and at shutdown,
// writes the buffer out with one write(). Reopen() serves SIGHUP after
// logrotate moved the file away.
#ifndef PASTEBIN_DAEMON_ACCESS_LOG_H_
#define PASTEBIN_DAEMON_ACCESS_LOG_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"

namespace pastebin {

class AccessLog {
 public:
  // Opens (creating, mode 0600) path for appending.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& path);
  ~AccessLog();  // flushes

  // Queues one line (without its newline). Never blocks on I/O. If the
  // file cannot be written for long and the buffer passes kMaxBuffered,
  // further lines are dropped and counted, and Flush() reports it.
  // Thread-safe.
  void Append(std::string_view line);

  // Writes every queued line to the file. Lines reach the file in the order
  // they were queued. Thread-safe.
  Status Flush();

  // Flushes into the current file, then opens path anew (a new file if the
  // old one was renamed). Thread-safe.
  Status Reopen();

  const std::string& path() const { return path_; }

  static constexpr size_t kMaxBuffered = 64 << 20;

 private:
  explicit AccessLog(std::string path) : path_(std::move(path)) {}
  Status OpenFile();

  std::string path_;
  std::mutex file_mu_;  // held while writing or reopening; taken first
  int fd_ = -1;
  std::mutex buffer_mu_;
  std::string buffer_;
  int64_t dropped_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_ACCESS_LOG_H_
