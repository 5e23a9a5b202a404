// Acceptor: accept4(2) that survives running out of file descriptors.
//
// Out of descriptors (EMFILE, ENFILE) a plain accept loop spins: the
// connection stays pending, so epoll reports the socket again at once (the
// landed daemon burned 50-90 % CPU and wrote 1.3 M log lines in 5 s). An
// Acceptor keeps one descriptor in reserve instead: it frees it, takes the
// pending connection, sends it a refusal, closes it and takes the reserve
// back, so the backlog drains and every client hears why. If even that
// fails, the caller stops watching the socket until paused_until(). The
// condition is logged at most once per 10 s, with how many were refused.
// One Acceptor per thread.
#ifndef PASTEBIN_DAEMON_HTTP_ACCEPTOR_H_
#define PASTEBIN_DAEMON_HTTP_ACCEPTOR_H_

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace pastebin {

class Acceptor {
 public:
  // name says which listener, in the log ("HTTP", "TCP paste").
  explicit Acceptor(std::string name);
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // A new non-blocking, close-on-exec connection, or -1 with errno: EAGAIN
  // when none is pending, EMFILE when out of descriptors (then the pending
  // connection, if it could be taken, got `refusal` and was closed), or
  // another accept4 error.
  int Accept(int listen_fd, sockaddr_storage* peer, std::string_view refusal);

  // Monotonic milliseconds before which the listening socket should not be
  // polled (0: go on).
  int64_t paused_until() const { return paused_until_; }

 private:
  void NoteExhausted();

  std::string name_;
  int reserve_fd_ = -1;
  int64_t paused_until_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_ACCEPTOR_H_
