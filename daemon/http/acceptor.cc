#include "daemon/http/acceptor.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>

#include "daemon/base/log.h"
#include "daemon/http/net_util.h"

namespace pastebin {
namespace {

constexpr int64_t kLogIntervalMs = 10000;
constexpr int64_t kPauseMs = 100;

// One throttle for the whole process: every listener and loop shares it.
std::atomic<int64_t> g_last_log_ms{0};
std::atomic<int64_t> g_refused_since_log{0};

int OpenReserve() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

}  // namespace

Acceptor::Acceptor(std::string name) : name_(std::move(name)), reserve_fd_(OpenReserve()) {}

Acceptor::~Acceptor() {
  if (reserve_fd_ >= 0) close(reserve_fd_);
}

void Acceptor::NoteExhausted() {
  g_refused_since_log++;
  int64_t now = MonotonicMs();
  int64_t last = g_last_log_ms.load();
  if (now - last < kLogIntervalMs || !g_last_log_ms.compare_exchange_strong(last, now)) return;
  int64_t refused = g_refused_since_log.exchange(0);
  LogWarn("out of file descriptors: refused " + std::to_string(refused) + " " + name_ +
          " connection(s) in the last " + std::to_string(kLogIntervalMs / 1000) +
          " s; raise the limit (LimitNOFILE=, ulimit -n) or lower max_connections");
}

int Acceptor::Accept(int listen_fd, sockaddr_storage* peer, std::string_view refusal) {
  socklen_t len = sizeof(*peer);
  int fd =
      accept4(listen_fd, reinterpret_cast<sockaddr*>(peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd >= 0 || (errno != EMFILE && errno != ENFILE)) return fd;
  NoteExhausted();
  if (reserve_fd_ >= 0) {
    close(reserve_fd_);
    len = sizeof(*peer);
    int taken =
        accept4(listen_fd, reinterpret_cast<sockaddr*>(peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (taken >= 0) {
      ssize_t n = send(taken, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      (void)n;
      close(taken);
    }
    reserve_fd_ = OpenReserve();
    if (taken >= 0 && reserve_fd_ >= 0) {
      errno = EMFILE;
      return -1;
    }
  }
  // Another thread took the freed slot, or there is no reserve: stop
  // polling for a moment rather than spin.
  paused_until_ = MonotonicMs() + kPauseMs;
  if (reserve_fd_ < 0) reserve_fd_ = OpenReserve();
  errno = EMFILE;
  return -1;
}

}  // namespace pastebin
