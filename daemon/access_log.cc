#include "daemon/access_log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

namespace pastebin {

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path) {
  std::unique_ptr<AccessLog> log(new AccessLog(path));
  Status s = log->OpenFile();
  if (!s.ok()) return s;
  return log;
}

AccessLog::~AccessLog() {
  Flush();
  if (fd_ >= 0) close(fd_);
}

Status AccessLog::OpenFile() {
  int fd = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Internal("cannot open access log " + path_ + ": " + strerror(errno) +
                    "; check the access_log setting and permissions");
  }
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
  return Status::Ok();
}

void AccessLog::Append(std::string_view line) {
  std::lock_guard<std::mutex> lock(buffer_mu_);
  if (buffer_.size() + line.size() + 1 > kMaxBuffered) {
    dropped_++;
    return;
  }
  buffer_.append(line);
  buffer_.push_back('\n');
}

Status AccessLog::Flush() {
  std::lock_guard<std::mutex> file_lock(file_mu_);
  std::string pending;
  int64_t dropped;
  {
    std::lock_guard<std::mutex> lock(buffer_mu_);
    pending.swap(buffer_);
    dropped = dropped_;
    dropped_ = 0;
  }
  size_t done = 0;
  while (done < pending.size()) {
    ssize_t n = write(fd_, pending.data() + done, pending.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      // Put back what did not make it, ahead of newer lines.
      std::lock_guard<std::mutex> lock(buffer_mu_);
      buffer_.insert(0, pending, done, std::string::npos);
      dropped_ += dropped;
      return Internal("cannot write access log " + path_ + ": " + strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (dropped > 0) {
    return Internal("access log " + path_ + " fell behind: " +
                    std::to_string(dropped) + " lines were dropped");
  }
  return Status::Ok();
}

Status AccessLog::Reopen() {
  Status flushed = Flush();
  std::lock_guard<std::mutex> file_lock(file_mu_);
  Status opened = OpenFile();
  return opened.ok() ? flushed : opened;
}

}  // namespace pastebin
