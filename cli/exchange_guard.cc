#include "cli/exchange_guard.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace pastebin {
namespace {

// glibc's tcp_info stops short of the kernel's; the kernel fills what it
// has, and this is the same layout to tcpi_bytes_received (Linux 4.1+).
struct TcpInfoWithBytes {
  struct tcp_info base;
  uint64_t pacing_rate;
  uint64_t max_pacing_rate;
  uint64_t bytes_acked;
  uint64_t bytes_received;
};

constexpr auto kPoll = std::chrono::milliseconds(20);

}  // namespace

ExchangeGuard::ExchangeGuard(int timeout_sec, uint64_t max_head, uint64_t max_body,
                             uint64_t sending)
    : start_(std::chrono::steady_clock::now()),
      timeout_(timeout_sec + static_cast<int64_t>(sending / kMinStreamRate)),
      max_head_(max_head),
      max_body_(max_body),
      thread_([this] { Run(); }) {}

ExchangeGuard::~ExchangeGuard() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
  int fd = fd_.exchange(-1);
  if (fd >= 0) close(fd);
}

void ExchangeGuard::Watch(int fd) {
  // Our own descriptor for the socket: the client may close its own while
  // we look, and that number may then name another file.
  int mine = dup(fd);
  int old = fd_.exchange(mine);
  if (old >= 0) close(old);
}

void ExchangeGuard::BodyStarts(bool streamed) {
  // What is in by now is the head and perhaps some of the body: the body's
  // bound counts from here, a little generously.
  head_received_ = std::max<int64_t>(Received(), 0);
  streaming_ = streamed;
  body_started_ = true;
}

int64_t ExchangeGuard::Received() const {
  int fd = fd_.load();
  if (fd < 0) return -1;
  TcpInfoWithBytes info{};
  socklen_t len = sizeof(info);
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return -1;
  if (len < sizeof(info)) return -1;  // an older kernel: no byte count
  return static_cast<int64_t>(info.bytes_received);
}

void ExchangeGuard::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_cv_.wait_for(lock, kPoll, [this] { return stop_; })) {
    auto allowed = timeout_;
    if (streaming_) allowed += std::chrono::seconds(streamed_.load() / kMinStreamRate);
    bool late = std::chrono::steady_clock::now() - start_ > allowed;
    bool big_head = false;
    bool big = false;
    int64_t received = streaming_ ? -1 : Received();
    if (received >= 0) {
      if (!body_started_) {
        big_head = static_cast<uint64_t>(received) > max_head_;
      } else {
        big = static_cast<uint64_t>(received - head_received_) > max_body_;
      }
    }
    if (!late && !big_head && !big) continue;
    timed_out_ = late;
    head_too_big_ = big_head;
    too_big_ = big;
    int fd = fd_.load();
    if (fd >= 0) {
      // Closing resets the connection rather than leave the server
      // sending into a socket nobody reads; shutting it down now fails
      // the client's reads.
      linger reset{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
      shutdown(fd, SHUT_RDWR);
    }
    return;
  }
}

}  // namespace pastebin
