#include "daemon/stats/access_log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pastebin {

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path, Random& random) {
  std::unique_ptr<AccessLog> log(new AccessLog(path, random));
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
  // A new file gets its ID line at once, before any request's.
  std::string header = HeaderIfEmpty();
  if (!header.empty() && write(fd_, header.data(), header.size()) < 0) {
    return Internal("cannot write access log " + path_ + ": " + strerror(errno));
  }
  return Status::Ok();
}

std::string AccessLog::HeaderIfEmpty() {
  struct stat st;
  if (fstat(fd_, &st) != 0 || st.st_size != 0) return "";
  return "#pasted access log " + RandomHex(random_, 16) + "\n";
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

bool AccessLog::WriteAll(std::string_view data, size_t* done) {
  *done = 0;
  while (*done < data.size()) {
    ssize_t n = write(fd_, data.data() + *done, data.size() - *done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    *done += static_cast<size_t>(n);
  }
  return true;
}

Status AccessLog::Flush() {
  std::lock_guard<std::mutex> file_lock(file_mu_);
  int64_t dropped;
  {
    std::lock_guard<std::mutex> lock(buffer_mu_);
    flushing_.swap(buffer_);  // buffer_ gets the emptied one, memory and all
    dropped = dropped_;
    dropped_ = 0;
  }
  const size_t used = flushing_.size();
  // Emptied behind our back (logrotate's copytruncate): a new file, so a
  // new ID line first.
  std::string header = flushing_.empty() ? "" : HeaderIfEmpty();
  size_t header_done = 0, lines_done = 0;
  if (!WriteAll(header, &header_done) || !WriteAll(flushing_, &lines_done)) {
    int err = errno;
    // Put back the lines that did not make it, ahead of newer ones.
    std::lock_guard<std::mutex> lock(buffer_mu_);
    buffer_.insert(0, flushing_, lines_done, std::string::npos);
    dropped_ += dropped;
    flushing_.clear();
    return Internal("cannot write access log " + path_ + ": " + strerror(err));
  }
  flushing_.clear();
  // A quiet second after a busy one gives the busy one's memory back.
  if (used < flushing_.capacity() / 4 && flushing_.capacity() > (1 << 20)) {
    std::string().swap(flushing_);
  }
  if (dropped > 0) {
    return Internal("access log " + path_ + " fell behind: " + std::to_string(dropped) +
                    " lines were dropped");
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
