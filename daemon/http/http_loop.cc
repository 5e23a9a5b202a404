#include "daemon/http/http_loop.h"

#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "daemon/base/log.h"
#include "daemon/http/http_caching.h"
#include "daemon/http/net_util.h"

namespace pastebin {
namespace {

constexpr uint64_t kWakeTag = ~uint64_t{0};
// Listener i is tagged kListenTag + i (a handful at most, above any fd).
constexpr uint64_t kListenTag = ~uint64_t{0} - 64;
// A watched socket (LoopWatch) is tagged kWatchBit | fd: below the
// listeners, above any connection's fd.
constexpr uint64_t kWatchBit = uint64_t{1} << 62;
constexpr size_t kReadChunk = 64 * 1024;
std::string HttpDate() { return FormatHttpDate(time(nullptr)); }

// Bytes of requests read ahead of the parser, at most: a head, and one
// read's worth of what follows.
size_t InputCap(const HttpServerOptions& o) { return o.limits.max_header_bytes + kReadChunk; }

// Logs running out of memory at most once per 10 s per loop.
void NoteOutOfMemory(int64_t now, int64_t* last) {
  if (now - *last < 10000) return;
  *last = now;
  LogError("out of memory while serving a connection; it was closed");
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
  auto ring = SocketRing::Start();
  if (ring.ok()) {
    ring_ = std::move(ring).value();
  } else {
    static std::once_flag told;
    std::call_once(told, [&] {
      LogInfo("connections are read and answered one system call at a time: " +
              ring.status().message());
    });
  }
}

HttpServer::Loop::~Loop() {
  for (auto& [fd, c] : conns_) close(fd);
  if (wake_fd_ >= 0) close(wake_fd_);
  if (epfd_ >= 0) close(epfd_);
}

void HttpServer::Loop::Wake() {
  uint64_t one = 1;
  ssize_t n = write(wake_fd_, &one, sizeof(one));
  (void)n;
}

void HttpServer::Loop::Deliver(Completion done) {
  bool first;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    first = posted_.empty();
    posted_.push_back(std::move(done));
  }
  // Posted by this loop itself (a watched socket's answer): taken at the
  // end of this round, without a wake-up.
  if (Current() == this) {
    posted_here_ = true;
    return;
  }
  // The loop takes everything posted at once: a batch of answers costs it
  // one wake-up.
  if (first) Wake();
}

void HttpServer::Loop::Post(std::shared_ptr<Connection> c, HttpRequest req, HttpResponse res) {
  Completion done;
  done.conn = std::move(c);
  done.req = std::move(req);
  done.res = std::move(res);
  Deliver(std::move(done));
}

void HttpServer::Loop::PostAnswer(std::shared_ptr<Connection> c, HttpRequest::BuildAnswer build) {
  Completion answer;
  answer.conn = std::move(c);
  answer.build = std::move(build);
  Deliver(std::move(answer));
}

void HttpServer::Loop::PostAgain(std::shared_ptr<Connection> c,
                                 std::shared_ptr<const void> fetched) {
  Completion again;
  again.conn = std::move(c);
  again.fetched = std::move(fetched);
  again.again = true;
  Deliver(std::move(again));
}

void HttpServer::Loop::Adopt(std::shared_ptr<Connection> c) {
  Completion adopted;
  adopted.conn = std::move(c);
  adopted.adopt = true;
  Deliver(std::move(adopted));
}

HttpServer::Loop& HttpServer::Loop::LeastLoaded() {
  // The loops are made before any runs and never change after. Stopping,
  // others may have drained and left: keep the client here.
  Loop* best = this;
  if (server_.stopping_) return *best;
  for (auto& loop : server_.loops_) {
    if (loop->load() < best->load()) best = loop.get();
  }
  return *best;
}

void HttpServer::Loop::Serve(const std::shared_ptr<Connection>& c) {
  conns_[c->fd] = c;
  UpdateInterest(*c);
  if (draining_) Close(*c);
}

void HttpServer::Loop::WatchListener(bool on) {
  if (on == listening_) return;
  for (size_t i = 0; i < server_.listeners_.size(); ++i) {
    int fd = server_.listeners_[i].fd;
    if (on) {
      epoll_event ev{};
      // Every loop waits on the listening sockets; EPOLLEXCLUSIVE wakes one.
      ev.events = EPOLLIN | EPOLLEXCLUSIVE;
      ev.data.u64 = kListenTag + i;
      epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
    } else {
      epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
    }
  }
  listening_ = on;
}

void HttpServer::Loop::Run() {
  SetCurrent(this);
  WatchListener(true);
  int64_t next_sweep = now_ + 250;
  int64_t last_oom_log = 0;
  epoll_event events[256];
  for (;;) {
    if (server_.stopping_ && !draining_) BeginDrain(now_);
    if (draining_ && (conns_.empty() || now_ >= drain_deadline_)) break;
    // Out of file descriptors the listener rests a moment (acceptor.h).
    if (!draining_ && !listening_ && now_ >= acceptor_.paused_until()) WatchListener(true);
    EndRound(false, &last_oom_log);
    if (ring_) SendQueued();
    int n = epoll_wait(epfd_, events, 256, posted_here_ || again_ ? 0 : wait_ms_);
    again_ = false;
    wait_ms_ = kWaitMs;
    busy_ = n > 0;
    now_ = MonotonicMs();
    if (n < 0) n = 0;  // EINTR
    if (now_ - date_ms_ >= 500) {
      date_ = HttpDate();
      date_ms_ = now_;
    }
    if (ring_) ReadReady(events, n);
    for (int i = 0; i < n; ++i) {
      uint64_t tag = events[i].data.u64;
      try {
        if (tag == kWakeTag) {
          uint64_t count;
          while (read(wake_fd_, &count, sizeof(count)) > 0) {
          }
          TakePosted();
        } else if (tag >= kListenTag) {
          if (!draining_) Accept(server_.listeners_[tag - kListenTag]);
        } else if (tag & kWatchBit) {
          auto it = watched_.find(static_cast<int>(tag & ~kWatchBit));
          // Held by a copy of the pointer: the callback may unwatch its
          // own fd.
          if (it != watched_.end()) {
            std::shared_ptr<const Ready> ready = it->second;
            (*ready)(events[i].events);
          }
        } else {
          auto it = conns_.find(static_cast<int>(tag));
          // A copy, not a reference into the map: handling may close the
          // connection, which erases its map entry.
          if (it != conns_.end()) {
            std::shared_ptr<Connection> c = it->second;
            try {
              OnEvent(c, events[i].events);
            } catch (const std::bad_alloc&) {
              NoteOutOfMemory(now_, &last_oom_log);
              Close(*c);
            }
          }
        }
      } catch (const std::bad_alloc&) {
        NoteOutOfMemory(now_, &last_oom_log);
      }
    }
    if (posted_here_) {
      posted_here_ = false;
      try {
        TakePosted();
      } catch (const std::bad_alloc&) {
        NoteOutOfMemory(now_, &last_oom_log);
      }
    }
    if (now_ >= next_sweep) {
      try {
        Sweep(now_);
      } catch (const std::bad_alloc&) {
        NoteOutOfMemory(now_, &last_oom_log);
      }
      next_sweep = now_ + 250;
    }
  }
  WatchListener(false);
  EndRound(true, &last_oom_log);
  if (ring_) SendQueued();
  SetCurrent(nullptr);
  // Past the drain deadline: whatever is left is cut off.
  std::vector<std::shared_ptr<Connection>> left;
  for (auto& [fd, c] : conns_) left.push_back(c);
  for (auto& c : left) Close(*c);
}

void HttpServer::Loop::EndRound(bool stopping, int64_t* last_oom_log) {
  try {
    if (server_.round_hook_) server_.round_hook_(busy_ && !stopping);
    for (size_t i = 0; i < rounds_.size(); ++i) rounds_[i](stopping);  // a hook may add one
  } catch (const std::bad_alloc&) {
    NoteOutOfMemory(now_, last_oom_log);
  }
  if (stopping) rounds_.clear();
}

bool HttpServer::Loop::Watch(int fd, uint32_t events, Ready ready) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = kWatchBit | static_cast<uint64_t>(fd);
  bool known = watched_.count(fd) > 0;
  if (epoll_ctl(epfd_, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) return false;
  watched_[fd] = std::make_shared<const Ready>(std::move(ready));
  return true;
}

void HttpServer::Loop::Unwatch(int fd) {
  if (watched_.erase(fd) == 0) return;
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
}

void HttpServer::Loop::EachRound(Round round) { rounds_.push_back(std::move(round)); }

void HttpServer::Loop::BeginDrain(int64_t now) {
  draining_ = true;
  drain_deadline_ = now + server_.options_.drain_timeout_ms;
  WatchListener(false);
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
    if (c->fd >= 0 && c->state == Connection::State::kReading && !c->parser.started() &&
        c->in.empty() && c->pending_output() == 0) {
      idle.push_back(c);
    }
  }
  for (auto& c : idle) Close(*c);
}

void HttpServer::Loop::Accept(const HttpServer::Listener& listener) {
  // What a client hears when there is no room for it.
  HttpResponse full;
  server_.handler_->Refuse(HttpRequest(), 503,
                           "the server has too many connections; try again shortly", full);
  full.SetHeader("Retry-After", "1");
  std::string refusal =
      SerializeResponse(full, false, false, date_, server_.options_.common_headers);
  for (int i = 0; i < 256; ++i) {
    sockaddr_storage addr;
    int fd = acceptor_.Accept(listener.fd, &addr, refusal);
    if (fd < 0) {
      if (errno == EMFILE && acceptor_.paused_until() > now_) WatchListener(false);
      return;
    }
    std::string remote = listener.unix_socket ? "unix:" : AddressOf(addr);
    if (server_.connections_.load() >= server_.options_.max_connections) {
      // Full: a fast, honest 503 instead of a connection that hangs.
      HttpRequest req;
      req.remote_addr = remote;
      server_.handler_->Answered(req, full);
      ssize_t n = send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      (void)n;
      close(fd);
      continue;
    }
    auto c = std::make_shared<Connection>(fd, std::move(remote), server_.options_.limits);
    if (listener.unix_socket) {
      ucred cred{};
      socklen_t len = sizeof(cred);
      if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) c->peer_uid = cred.uid;
    } else {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    c->last_read = c->last_write = now_;
    if (server_.tls_ && !listener.unix_socket) {
      c->ssl = SSL_new(server_.tls_);
      SSL_set_fd(c->ssl, fd);
      SSL_set_accept_state(c->ssl);  // the handshake runs inside SSL_read
    }
    server_.connections_++;
    // EPOLLEXCLUSIVE wakes one loop, which takes a whole burst of clients:
    // each goes to the loop serving fewest, so all cores share the work.
    Loop& target = LeastLoaded();
    target.load_++;
    if (&target == this) {
      Serve(c);
    } else {
      target.Adopt(std::move(c));
    }
  }
}

void HttpServer::Loop::UpdateInterest(Connection& c) {
  if (c.flush_queued) return;  // SendQueued sets it once the answers went
  uint32_t want = 0;
  bool reading = c.state == Connection::State::kLingering ||
                 (c.state == Connection::State::kReading && !c.peer_closed &&
                  c.in.size() < InputCap(server_.options_));
  if (reading) want |= EPOLLIN | EPOLLRDHUP;
  if (c.pending_output() > 0 || c.ssl_wants_write) want |= EPOLLOUT;
  if (want == 0) {
    // Off the loop until a worker's answer comes back or the parser takes
    // what is buffered: a peer hang-up, or input left unread at the cap,
    // would otherwise be reported again and again meanwhile. Otherwise the
    // last read emptied the socket (EAGAIN, or a short read) and
    // level-triggered epoll stays quiet until the client sends more, so the
    // usual request/answer pair costs no epoll_ctl at all (a write waiting
    // for its group commit saved two).
    bool quiet = !c.ssl && !c.peer_closed && !(c.events & EPOLLOUT) &&
                 c.in.size() < InputCap(server_.options_);
    if (c.registered && !quiet) {
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
  server_.output_memory_.Give(c.pending_owned);
  c.out.clear();
  c.pending = c.pending_owned = 0;
  c.body_charge.reset();
  auto keep = conns_[c.fd];  // c may be the map's last reference
  conns_.erase(c.fd);
  c.fd = -1;
  server_.connections_--;
  load_--;
}

void HttpServer::Loop::ReadInput(Connection& c) {
  char buf[kReadChunk];
  c.ssl_wants_write = false;
  size_t cap = InputCap(server_.options_);
  for (;;) {
    // Read ahead only so far: the parser moves bodies out as they arrive,
    // and a client that pipelines without reading its answers waits.
    if (c.state != Connection::State::kLingering && c.in.size() >= cap) return;
    ssize_t n = c.Receive(buf, sizeof(buf));
    if (n > 0) {
      c.last_read = now_;
      if (c.state != Connection::State::kLingering) c.in.append(buf, static_cast<size_t>(n));
      // A short read emptied the socket: epoll is level-triggered, so more
      // that comes is reported again, and the read that would only say
      // EAGAIN (one in three syscalls of a keep-alive GET) is saved. TLS
      // may hold decrypted bytes epoll cannot see: it reads on.
      if (!c.ssl && static_cast<size_t>(n) < sizeof(buf)) return;
      continue;
    }
    if (n == 0) c.peer_closed = true;
    return;  // EAGAIN, or an error the next write will report
  }
}

void HttpServer::Loop::ReadReady(epoll_event* events, int n) {
  constexpr uint32_t kReadable = EPOLLIN | EPOLLRDHUP | EPOLLHUP;
  size_t cap = InputCap(server_.options_);
  reading_.clear();
  read_events_.clear();
  for (int i = 0; i < n && reading_.size() < SocketRing::kEntries; ++i) {
    uint64_t tag = events[i].data.u64;
    if (tag >= kWatchBit || !(events[i].events & kReadable) || (events[i].events & EPOLLERR)) {
      continue;
    }
    auto it = conns_.find(static_cast<int>(tag));
    if (it == conns_.end()) continue;
    Connection& c = *it->second;
    // TLS decrypts in OpenSSL; a lingering connection's bytes are dropped:
    // ReadInput reads those. At the cap, nothing is read (ReadInput).
    if (c.ssl || c.state == Connection::State::kLingering || c.in.size() >= cap) continue;
    reading_.push_back(it->second);
    read_events_.push_back(i);
  }
  // One alone costs less as a recv(2) of its own (OnEvent's).
  if (reading_.size() < 2) return;
  if (!read_slots_) read_slots_.reset(new char[SocketRing::kEntries * kRingRead]);
  ring_->Clear();
  for (size_t i = 0; i < reading_.size(); ++i) {
    ring_->AddRecv(reading_[i]->fd, read_slots_.get() + i * kRingRead, kRingRead);
    events[read_events_[i]].events &= ~kReadable;  // read here: OnEvent does not read again
  }
  ring_->Run();
  for (size_t i = 0; i < reading_.size(); ++i) {
    Connection& c = *reading_[i];
    long got = ring_->result(i);
    if (got > 0) {
      c.last_read = now_;
      c.in.append(read_slots_.get() + i * kRingRead, static_cast<size_t>(got));
      // A full slot: the socket may hold more, read as ReadInput reads.
      if (static_cast<size_t>(got) == kRingRead) ReadInput(c);
    } else if (got == 0) {
      c.peer_closed = true;
    }  // EAGAIN, or an error the next write will report
  }
  reading_.clear();
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
  if (c->peer_closed && c->state == Connection::State::kReading && c->pending_output() == 0 &&
      !c->close_after_write) {
    if (c->parser.started()) {
      // Half a request and then EOF: say why it went nowhere.
      Refuse(*c, 400, "the request ended before it was complete");
      if (c->fd >= 0) UpdateInterest(*c);
      return;
    }
    if (c->in.empty()) {
      Close(*c);
      return;
    }
  }
  UpdateInterest(*c);
}

void HttpServer::Loop::Sweep(int64_t now) {
  const HttpServerOptions& o = server_.options_;
  std::vector<std::shared_ptr<Connection>> expired;
  std::vector<std::pair<std::shared_ptr<Connection>, std::string>> timed_out;
  for (auto& [fd, c] : conns_) {
    if (c->state == Connection::State::kLingering) {
      if (now >= c->linger_until) expired.push_back(c);
    } else if (c->pending_output() > 0) {
      // A client that does not take its answers, or takes them too
      // slowly, loses its place and what its answers hold. What it took is
      // what it acknowledged: bytes still in the socket's queue (SIOCOUTQ)
      // were only handed to the kernel.
      int queued = 0;
      if (ioctl(c->fd, SIOCOUTQ, &queued) != 0) queued = 0;
      int64_t taken = std::max<int64_t>(0, c->sent_since - queued);
      int64_t deadline = c->output_since + o.body_timeout_ms +
                         (o.min_send_rate > 0 ? taken * 1000 / o.min_send_rate : 0);
      if (now - c->last_write > o.write_timeout_ms || (o.min_send_rate > 0 && now > deadline)) {
        expired.push_back(c);
      }
    } else if (c->state == Connection::State::kReading) {
      if (!c->parser.started()) {
        if (now - c->last_read > o.idle_timeout_ms) expired.push_back(c);
      } else if (c->parser.in_headers()) {
        if (now - c->request_started > o.header_timeout_ms) {
          timed_out.emplace_back(c, "the request headers did not arrive in time");
        }
      } else if (now - c->last_read > o.body_timeout_ms) {
        timed_out.emplace_back(c, "the request body stopped arriving");
      } else if (o.min_body_rate > 0) {
        // After a grace period a body must keep up an average rate: a
        // trickle of a byte now and then cannot hold a connection forever.
        int64_t received = static_cast<int64_t>(c->parser.request().body.size());
        int64_t deadline = c->head_done + o.body_timeout_ms + received * 1000 / o.min_body_rate;
        if (now > deadline) {
          timed_out.emplace_back(c, "the request body arrived too slowly (under " +
                                        std::to_string(o.min_body_rate) + " bytes a second)");
        }
      }
    }
  }
  for (auto& c : expired) Close(*c);
  for (auto& [c, why] : timed_out) {
    Refuse(*c, 408, why);
    if (c->fd >= 0) UpdateInterest(*c);
  }
}

}  // namespace pastebin
