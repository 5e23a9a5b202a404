// AccessLog: request lines (see log_line.h) appended to a file without
// request threads ever touching the disk. Append() only copies the line into
// a buffer; Flush(), called by the main loop every second and at shutdown,
// swaps it for a second one and writes it out with one write() (a new
// file's ID line, below, with one of its own before it). The two
// buffers keep their memory from one flush to the next (a busy second's is
// given back once a second uses less than a quarter of it), so a request's
// line costs one copy: no buffer grows again from empty each second, page
// by fresh page. Reopen() serves SIGHUP after logrotate moved the file away.
//
// Every file pasted starts (or finds emptied by copytruncate) begins with a
// line of its own, "#pasted access log ID", with a random ID: the visit
// rollup knows a file by its first line (see visit_rollup.h), and two
// files must never share one, even when their first requests are alike.
// Log readers skip it as a comment or an unparsable line.
#ifndef PASTEBIN_DAEMON_STATS_ACCESS_LOG_H_
#define PASTEBIN_DAEMON_STATS_ACCESS_LOG_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/random.h"
#include "common/status.h"

namespace pastebin {

class AccessLog {
 public:
  // Opens (creating, mode 0600) path for appending; random makes the IDs
  // of new files and must outlive the log.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& path, Random& random);
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
  AccessLog(std::string path, Random& random) : path_(std::move(path)), random_(random) {}
  Status OpenFile();
  // The ID line when the open file is empty (new, or truncated), else "".
  std::string HeaderIfEmpty();
  // Writes data whole, or fails with errno set; *done says how much went.
  bool WriteAll(std::string_view data, size_t* done);

  std::string path_;
  Random& random_;
  std::mutex file_mu_;  // held while writing or reopening; taken first
  int fd_ = -1;
  std::string flushing_;  // the buffer being written; under file_mu_
  std::mutex buffer_mu_;
  std::string buffer_;
  int64_t dropped_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STATS_ACCESS_LOG_H_
