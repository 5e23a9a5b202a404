// One client connection of the HTTP server: its socket (plain or TLS), its
// buffers and parser, and where it is in its life. Owned by the event loop
// that accepted it (http_loop.h); private to the server.
#ifndef PASTEBIN_DAEMON_HTTP_HTTP_CONNECTION_H_
#define PASTEBIN_DAEMON_HTTP_HTTP_CONNECTION_H_

#include <openssl/ssl.h>
#include <stdint.h>
#include <sys/types.h>

#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/base/memory_budget.h"
#include "daemon/http/http_parser.h"

namespace pastebin {

struct Connection : std::enable_shared_from_this<Connection> {
  enum class State {
    kReading,    // reading and parsing requests
    kHandling,   // a worker has the request; not watched meanwhile
    kLingering,  // refused: draining what the client still sends
  };

  Connection(int fd, std::string addr, const HttpLimits& limits)
      : fd(fd), remote_addr(std::move(addr)), parser(limits) {}
  ~Connection() {
    if (ssl) SSL_free(ssl);
  }

  // Like recv(2): > 0 bytes, 0 at the end (or a failed TLS handshake), -1
  // with errno EAGAIN when more must arrive (or, with TLS, be sent) first.
  ssize_t Receive(char* buf, size_t size);
  // Like send(2): > 0 bytes, -1 with errno EAGAIN when the socket is full,
  // another errno when the peer is gone.
  ssize_t Send(const char* data, size_t size);

  // An answer's bytes waiting to go out: its own (heads, answers made for
  // it: charged to the server's output budget) or shared (a cached paste:
  // charged to nothing, never copied).
  struct Output {
    std::string owned;
    std::shared_ptr<const std::string> shared;
    size_t off = 0;  // sent so far
    std::string_view bytes() const {
      return shared ? std::string_view(*shared) : std::string_view(owned);
    }
  };

  size_t pending_output() const { return pending; }

  int fd;
  std::string remote_addr;
  int64_t peer_uid = -1;         // Unix sockets: the peer's uid
  SSL* ssl = nullptr;            // set when serving HTTPS
  bool ssl_wants_write = false;  // OpenSSL must write before it can read
  State state = State::kReading;
  std::string in;            // received, not yet parsed
  std::deque<Output> out;    // answers not yet (wholly) sent, in order
  size_t pending = 0;        // their unsent bytes
  size_t pending_owned = 0;  // of them, owned (charged)
  int64_t output_since = 0;  // when pending last rose from zero
  int64_t sent_since = 0;    // bytes sent since then
  RequestParser parser;
  // A request whose handler answers later (HttpResponse::deferred).
  HttpRequest deferred_request;
  // The request body's share of the server's body memory, from its head on.
  std::shared_ptr<MemoryCharge> body_charge;
  bool close_after_write = false;
  bool linger = false;  // refused: unread request bytes may follow
  bool peer_closed = false;
  bool registered = false;      // in the loop's epoll set
  bool flush_queued = false;    // its answers wait for the round's SendQueued
  uint32_t events = 0;          // the epoll events asked for
  int64_t request_started = 0;  // first byte of the current request
  int64_t head_done = 0;        // its head complete: the body clock starts
  int64_t last_read = 0;
  int64_t last_write = 0;
  int64_t linger_until = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_HTTP_CONNECTION_H_
