#include "daemon/http_loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "daemon/log.h"
#include "daemon/net_util.h"

namespace pastebin {
namespace {

constexpr uint64_t kListenTag = ~uint64_t{0};
constexpr uint64_t kWakeTag = ~uint64_t{0} - 1;
constexpr int kLingerMs = 2000;  // reading leftovers after a refusal
constexpr size_t kReadChunk = 64 * 1024;

std::string HttpDate() {
  time_t now = time(nullptr);
  struct tm tm;
  gmtime_r(&now, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}


}  // namespace


HttpServer::Loop::Loop(HttpServer& server)
    : server_(server), date_(HttpDate()), date_ms_(MonotonicMs()), now_(MonotonicMs()) {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeTag;
  epoll_ctl(epfd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

HttpServer::Loop::~Loop() {
  for (auto& [fd, c] : conns_) close(fd);
  close(wake_fd_);
  close(epfd_);
}

void HttpServer::Loop::Wake() {
  uint64_t one = 1;
  ssize_t n = write(wake_fd_, &one, sizeof(one));
  (void)n;
}

void HttpServer::Loop::Post(std::shared_ptr<Connection> c, HttpRequest req, HttpResponse res) {
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    posted_.push_back({std::move(c), std::move(req), std::move(res)});
  }
  Wake();
}

void HttpServer::Loop::Run() {
  if (server_.listen_fd_ >= 0) {
    epoll_event ev{};
    // Every loop waits on the one listening socket; EPOLLEXCLUSIVE wakes one.
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.u64 = kListenTag;
    epoll_ctl(epfd_, EPOLL_CTL_ADD, server_.listen_fd_, &ev);
  }
  int64_t next_sweep = now_ + 250;
  epoll_event events[256];
  for (;;) {
    if (server_.stopping_ && !draining_) BeginDrain(now_);
    if (draining_ && (conns_.empty() || now_ >= drain_deadline_)) break;
    int n = epoll_wait(epfd_, events, 256, 100);
    now_ = MonotonicMs();
    if (now_ - date_ms_ >= 500) {
      date_ = HttpDate();
      date_ms_ = now_;
    }
    for (int i = 0; i < n; ++i) {
      uint64_t tag = events[i].data.u64;
      if (tag == kListenTag) {
        if (!draining_) Accept();
      } else if (tag == kWakeTag) {
        uint64_t count;
        while (read(wake_fd_, &count, sizeof(count)) > 0) {
        }
        TakePosted();
      } else {
        auto it = conns_.find(static_cast<int>(tag));
        // A copy, not a reference into the map: handling may close the
        // connection, which erases its map entry.
        if (it != conns_.end()) OnEvent(std::shared_ptr<Connection>(it->second), events[i].events);
      }
    }
    if (now_ >= next_sweep) {
      Sweep(now_);
      next_sweep = now_ + 250;
    }
  }
  if (server_.listen_fd_ >= 0) epoll_ctl(epfd_, EPOLL_CTL_DEL, server_.listen_fd_, nullptr);
  // Past the drain deadline: whatever is left is cut off.
  std::vector<std::shared_ptr<Connection>> left;
  for (auto& [fd, c] : conns_) left.push_back(c);
  for (auto& c : left) Close(*c);
}

void HttpServer::Loop::BeginDrain(int64_t now) {
  draining_ = true;
  drain_deadline_ = now + server_.options_.drain_timeout_ms;
  if (server_.listen_fd_ >= 0) epoll_ctl(epfd_, EPOLL_CTL_DEL, server_.listen_fd_, nullptr);
  // Idle connections hold no request: close them now. The rest finish and
  // are closed after their answer (see Respond). Bytes a client sent
  // before the stop but this loop has not read yet count as a request:
  // read them first.
  std::vector<std::shared_ptr<Connection>> reading, idle;
  for (auto& [fd, c] : conns_) {
    if (c->state == Connection::State::kReading) reading.push_back(c);
  }
  for (auto& c : reading) {
    ReadInput(*c);
    AfterIo(c);
    if (c->fd >= 0 && c->state == Connection::State::kReading &&
        !c->parser.started() && c->in.empty() && c->out_off == c->out.size()) {
      idle.push_back(c);
    }
  }
  for (auto& c : idle) Close(*c);
}

void HttpServer::Loop::Accept() {
  for (int i = 0; i < 256; ++i) {
    sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    int fd = accept4(server_.listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        LogWarn("out of file descriptors: raise LimitNOFILE or lower max_connections");
      }
      return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (server_.connections_.load() >= server_.options_.max_connections) {
      // Full: a fast, honest 503 instead of a connection that hangs.
      HttpRequest req;
      req.remote_addr = AddressOf(addr);
      HttpResponse res;
      server_.handler_.Refuse(503, "the server has too many connections; try again shortly",
                              res);
      server_.handler_.Answered(req, res);
      std::string bytes = SerializeResponse(res, false, false, date_);
      ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      (void)n;
      close(fd);
      continue;
    }
    auto c = std::make_shared<Connection>(fd, AddressOf(addr), server_.options_.limits);
    c->last_read = c->last_write = now_;
    if (server_.tls_) {
      c->ssl = SSL_new(server_.tls_);
      SSL_set_fd(c->ssl, fd);
      SSL_set_accept_state(c->ssl);  // the handshake runs inside SSL_read
    }
    conns_[fd] = c;
    server_.connections_++;
    UpdateInterest(*c);
  }
}

void HttpServer::Loop::UpdateInterest(Connection& c) {
  uint32_t want = 0;
  if (c.state != Connection::State::kHandling) want |= EPOLLIN | EPOLLRDHUP;
  if (c.out_off < c.out.size() || c.ssl_wants_write) want |= EPOLLOUT;
  if (c.state == Connection::State::kHandling && want == 0) {
    // Off the loop until its answer comes back: a peer hang-up would
    // otherwise be reported again and again meanwhile.
    if (c.registered) {
      epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
      c.registered = false;
    }
    return;
  }
  if (c.registered && want == c.events) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = static_cast<uint64_t>(c.fd);
  epoll_ctl(epfd_, c.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c.fd, &ev);
  c.registered = true;
  c.events = want;
}

void HttpServer::Loop::Close(Connection& c) {
  if (c.fd < 0) return;
  if (c.registered) epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
  if (c.ssl) SSL_shutdown(c.ssl);  // best effort: a close_notify if it fits
  close(c.fd);
  auto keep = conns_[c.fd];  // c may be the map's last reference
  conns_.erase(c.fd);
  c.fd = -1;
  server_.connections_--;
}

// Reads what TLS has decrypted into buf; like recv: > 0 bytes, 0 at the
// end, -1 with errno EAGAIN when more must arrive (or be sent) first.
ssize_t TlsRead(Connection& c, char* buf, size_t size) {
  ERR_clear_error();
  int n = SSL_read(c.ssl, buf, static_cast<int>(size));
  if (n > 0) return n;
  switch (SSL_get_error(c.ssl, n)) {
    case SSL_ERROR_WANT_READ:
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_WANT_WRITE:
      c.ssl_wants_write = true;
      errno = EAGAIN;
      return -1;
    default:  // close_notify, a failed handshake (plain HTTP, say), errors
      return 0;
  }
}

void HttpServer::Loop::ReadInput(Connection& c) {
  char buf[kReadChunk];
  c.ssl_wants_write = false;
  for (;;) {
    ssize_t n = c.ssl ? TlsRead(c, buf, sizeof(buf)) : recv(c.fd, buf, sizeof(buf), 0);
    if (n > 0) {
      c.last_read = now_;
      if (c.state != Connection::State::kLingering) c.in.append(buf, static_cast<size_t>(n));
      // Do not buffer without bound: the parser refuses oversized heads,
      // and bodies move into the request as they arrive (see Process).
      if (c.in.size() > server_.options_.limits.max_header_bytes + kReadChunk) return;
      continue;
    }
    if (n == 0) c.peer_closed = true;
    return;  // EAGAIN, or an error the next write will report
  }
}

void HttpServer::Loop::OnEvent(const std::shared_ptr<Connection>& c, uint32_t events) {
  if (events & EPOLLERR) {
    Close(*c);
    return;
  }
  bool retry_read = c->ssl_wants_write && (events & EPOLLOUT);
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP) || retry_read) ReadInput(*c);
  if (events & EPOLLOUT) Flush(*c);
  AfterIo(c);
}

void HttpServer::Loop::AfterIo(const std::shared_ptr<Connection>& c) {
  if (c->fd < 0) return;
  if (c->state == Connection::State::kLingering) {
    if (c->peer_closed) {
      Close(*c);
    } else {
      UpdateInterest(*c);  // it may have come back from the pool unregistered
    }
    return;
  }
  if (c->state == Connection::State::kReading) Process(c);
  if (c->fd < 0) return;
  if (c->peer_closed && c->state == Connection::State::kReading &&
      c->out_off == c->out.size() && !c->close_after_write) {
    if (c->parser.started()) {
      // Half a request and then EOF: say why it went nowhere.
      HttpRequest partial;
      partial.remote_addr = c->remote_addr;
      Refuse(*c, 400, "the request ended before it was complete", partial);
      if (c->fd >= 0) UpdateInterest(*c);
      return;
    }
    Close(*c);
    return;
  }
  UpdateInterest(*c);
}

void HttpServer::Loop::Process(const std::shared_ptr<Connection>& c) {
  while (c->fd >= 0 && c->state == Connection::State::kReading && !c->close_after_write) {
    if (c->in.empty() && !c->parser.started()) return;
    if (!c->parser.started()) c->request_started = now_;
    switch (c->parser.Parse(&c->in)) {
      case RequestParser::State::kNeedMore:
        return;
      case RequestParser::State::kContinue:
        c->out += "HTTP/1.1 100 Continue\r\n\r\n";
        Flush(*c);
        continue;
      case RequestParser::State::kError: {
        HttpRequest partial = c->parser.TakeRequest();
        partial.remote_addr = c->remote_addr;
        Refuse(*c, c->parser.error_status(), c->parser.error_message(), partial);
        return;
      }
      case RequestParser::State::kDone: {
        HttpRequest req = c->parser.TakeRequest();
        c->parser.Reset();
        req.remote_addr = c->remote_addr;
        req.received = std::chrono::steady_clock::now();
        Dispatch(c, std::move(req));
        continue;
      }
    }
  }
}

void HttpServer::Loop::Dispatch(const std::shared_ptr<Connection>& c, HttpRequest req) {
  HttpHandler& handler = server_.handler_;
  if (!handler.MayBlock(req)) {
    HttpResponse res;
    req.may_block = false;
    handler.Handle(req, res);
    if (!res.would_block) {
      Respond(*c, req, res);
      return;
    }
    req.may_block = true;  // the disk is needed: a worker's job
  }
  c->state = Connection::State::kHandling;
  Loop* loop = this;
  auto task = [loop, c, &handler, req = std::move(req)]() mutable {
    HttpResponse res;
    handler.Handle(req, res);
    loop->Post(c, std::move(req), std::move(res));
  };
  if (!server_.pool_->Submit(std::move(task), server_.options_.max_queued)) {
    c->state = Connection::State::kReading;
    HttpRequest busy;
    busy.remote_addr = c->remote_addr;
    Refuse(*c, 503, "the server is busy; try again shortly", busy);
    return;
  }
  UpdateInterest(*c);
}

void HttpServer::Loop::TakePosted() {
  std::vector<Completion> done;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    done.swap(posted_);
  }
  for (Completion& d : done) {
    Connection& c = *d.conn;
    if (c.fd < 0) continue;  // cut off by the drain deadline
    c.state = Connection::State::kReading;
    Respond(c, d.req, d.res);
    AfterIo(d.conn);  // pipelined requests already read
  }
}

void HttpServer::Loop::Respond(Connection& c, const HttpRequest& req, HttpResponse& res) {
  bool keep = req.keep_alive && !draining_ && !c.peer_closed;
  if (!keep) c.close_after_write = true;
  server_.handler_.Answered(req, res);
  c.out += SerializeResponse(res, keep, req.method == "HEAD", date_);
  Flush(c);
}

void HttpServer::Loop::Refuse(Connection& c, int status, const std::string& message,
                              const HttpRequest& req) {
  HttpResponse res;
  server_.handler_.Refuse(status, message, res);
  server_.handler_.Answered(req, res);
  c.close_after_write = true;
  c.linger = true;
  c.out += SerializeResponse(res, false, false, date_);
  Flush(c);
}

void HttpServer::Loop::Flush(Connection& c) {
  while (c.out_off < c.out.size()) {
    ssize_t n;
    if (c.ssl) {
      ERR_clear_error();
      int w = SSL_write(c.ssl, c.out.data() + c.out_off,
                        static_cast<int>(std::min<size_t>(c.out.size() - c.out_off, 1 << 30)));
      int err = w > 0 ? SSL_ERROR_NONE : SSL_get_error(c.ssl, w);
      n = w > 0 ? w : -1;
      errno = err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ ? EAGAIN : EPIPE;
    } else {
      n = send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
    }
    if (n > 0) {
      c.out_off += static_cast<size_t>(n);
      c.last_write = now_;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0 && errno == EINTR) continue;
    Close(c);  // the peer is gone
    return;
  }
  c.out.clear();
  c.out_off = 0;
  if (c.close_after_write && !c.linger) {
    Close(c);
  } else if (c.close_after_write && c.state != Connection::State::kLingering) {
    // After a refusal, half-close and drain what the client still sends,
    // so the answer is not lost to a reset when unread request bytes remain
    // (a lingering close, as nginx does).
    if (c.ssl) SSL_shutdown(c.ssl);
    shutdown(c.fd, SHUT_WR);
    c.state = Connection::State::kLingering;
    c.linger_until = now_ + kLingerMs;
    c.in.clear();
  } else if (c.state == Connection::State::kReading) {
    c.last_read = now_;  // the idle clock starts after an answer
  }
}

void HttpServer::Loop::Sweep(int64_t now) {
  const HttpServerOptions& o = server_.options_;
  std::vector<std::shared_ptr<Connection>> expired;
  std::vector<std::pair<std::shared_ptr<Connection>, const char*>> timed_out;
  for (auto& [fd, c] : conns_) {
    if (c->state == Connection::State::kLingering) {
      if (now >= c->linger_until) expired.push_back(c);
    } else if (c->out_off < c->out.size()) {
      if (now - c->last_write > o.write_timeout_ms) expired.push_back(c);
    } else if (c->state == Connection::State::kReading) {
      if (!c->parser.started()) {
        if (now - c->last_read > o.idle_timeout_ms) expired.push_back(c);
      } else if (c->parser.in_headers()) {
        if (now - c->request_started > o.header_timeout_ms) {
          timed_out.emplace_back(c, "the request headers did not arrive in time");
        }
      } else if (now - c->last_read > o.body_timeout_ms) {
        timed_out.emplace_back(c, "the request body stopped arriving");
      }
    }
  }
  for (auto& c : expired) Close(*c);
  for (auto& [c, why] : timed_out) {
    HttpRequest partial;
    partial.remote_addr = c->remote_addr;
    Refuse(*c, 408, why, partial);
    if (c->fd >= 0) UpdateInterest(*c);
  }
}

}  // namespace pastebin
