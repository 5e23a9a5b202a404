// ExchangeGuard: bounds one HTTP exchange of the CLI's client, whatever the
// server does. cpp-httplib times out each read, not the whole exchange, and
// keeps every header line a server sends: a server that sends a byte a
// second, or headers without end, held the CLI for ever or took its memory
// (pastebin list reached 1.6 GB). The guard watches the exchange's socket
// from a thread of its own and shuts it down (the request then fails) when
//   - the exchange runs past its deadline: timeout seconds, a further second
//     for every kMinStreamRate bytes of the request's body (a large put on
//     a slow link), and for a body streamed to its destination (get) for
//     every kMinStreamRate bytes it has streamed;
//   - or the server has sent more than max_head bytes before the answer's
//     body started, or more than max_body bytes of a body held in memory
//     (TCP sockets; a Unix socket's peer is the user's own pasted or one
//     they named, and the client's own bounds still hold there).
#ifndef PASTEBIN_CLI_EXCHANGE_GUARD_H_
#define PASTEBIN_CLI_EXCHANGE_GUARD_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace pastebin {

class ExchangeGuard {
 public:
  // The bytes a second a streamed body must average past the timeout.
  static constexpr uint64_t kMinStreamRate = 16 << 10;

  // sending: the request body's size.
  ExchangeGuard(int timeout_sec, uint64_t max_head, uint64_t max_body, uint64_t sending = 0);
  ~ExchangeGuard();  // stops watching; closes its own hold on the socket
  ExchangeGuard(const ExchangeGuard&) = delete;
  ExchangeGuard& operator=(const ExchangeGuard&) = delete;

  // The exchange's socket, as the client makes it (before it connects).
  void Watch(int fd);
  // The answer's head is in; from now on its body streams (true: to a
  // destination, not memory, so only the rate is bounded) or is held.
  void BodyStarts(bool streamed);
  // Bytes of a streamed body written so far.
  void Streamed(uint64_t bytes) { streamed_.store(bytes, std::memory_order_relaxed); }

  // Why the guard cut the exchange off, if it did.
  bool timed_out() const { return timed_out_; }
  bool head_too_big() const { return head_too_big_; }
  bool too_big() const { return too_big_; }

 private:
  void Run();
  // Bytes the socket has received, or -1 when it cannot tell.
  int64_t Received() const;

  const std::chrono::steady_clock::time_point start_;
  const std::chrono::seconds timeout_;
  const uint64_t max_head_;
  const uint64_t max_body_;
  std::atomic<int> fd_{-1};  // a dup of the socket: ours to shut down and close
  std::atomic<bool> streaming_{false};
  std::atomic<bool> body_started_{false};
  std::atomic<int64_t> head_received_{0};  // bytes in when the body started
  std::atomic<uint64_t> streamed_{0};
  std::atomic<bool> timed_out_{false};
  std::atomic<bool> head_too_big_{false};
  std::atomic<bool> too_big_{false};
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace pastebin

#endif  // PASTEBIN_CLI_EXCHANGE_GUARD_H_
