#include "daemon/tcp/tcp_paste_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daemon/http/acceptor.h"
#include "daemon/http/net_util.h"

namespace pastebin {
namespace {

constexpr uint64_t kListenTag = ~uint64_t{0};
constexpr uint64_t kWakeTag = ~uint64_t{0} - 1;

}  // namespace

struct TcpPasteServer::Conn {
  enum class State { kReceiving, kStoring, kReplying };
  int fd;
  std::string peer;
  std::string local;
  std::string data;
  std::shared_ptr<MemoryCharge> charge;  // data's share of the upload budget
  std::string reply;
  size_t reply_off = 0;
  State state = State::kReceiving;
  bool too_large = false;
  bool over_budget = false;
  int64_t opened = 0;
  int64_t last_byte = 0;
};

TcpPasteServer::TcpPasteServer(const TcpPasteOptions& options, Store store)
    : options_(options), store_(std::move(store)) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

TcpPasteServer::~TcpPasteServer() {
  if (listen_fd_ >= 0) close(listen_fd_);
  if (ep_ >= 0) close(ep_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

Result<int> TcpPasteServer::Bind(const std::string& host, int port) {
  // Everything the loop needs is made here, before any connection can use
  // up the file descriptors (a loop without its epoll would spin).
  if (wake_fd_ < 0 || (ep_ = epoll_create1(EPOLL_CLOEXEC)) < 0) {
    return Status(Code::kUnavailable, std::string("cannot set up the TCP listener: ") +
                                          strerror(errno) + "; raise the file descriptor limit");
  }
  auto fd = ListenOn(host, port, 1024, "tcp_listen");
  if (!fd.ok()) return fd.status();
  listen_fd_ = *fd;
  return PortOf(listen_fd_);
}

void TcpPasteServer::Stop() {
  stopping_ = true;
  uint64_t one = 1;
  ssize_t n = write(wake_fd_, &one, sizeof(one));
  (void)n;
}

void TcpPasteServer::Serve() {
  int ep = ep_;
  auto add = [&](int fd, uint32_t events, uint64_t tag) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = tag;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  };
  add(listen_fd_, EPOLLIN, kListenTag);
  add(wake_fd_, EPOLLIN, kWakeTag);
  WorkerPool pool(options_.workers, "pasted-tcpwork");
  std::unordered_map<int, std::unique_ptr<Conn>> conns;
  std::mutex done_mu;
  std::vector<std::pair<int, std::string>> done;  // fd, reply

  auto close_conn = [&](int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    conns.erase(fd);
  };
  auto write_reply = [&](Conn& c) {
    while (c.reply_off < c.reply.size()) {
      ssize_t n =
          send(c.fd, c.reply.data() + c.reply_off, c.reply.size() - c.reply_off, MSG_NOSIGNAL);
      if (n > 0) {
        c.reply_off += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        epoll_event ev{};
        ev.events = EPOLLOUT;
        ev.data.u64 = static_cast<uint64_t>(c.fd);
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
        return;
      }
      break;
    }
    close_conn(c.fd);
  };
  // Input is complete: store it (or refuse it) off the loop.
  auto finish = [&](Conn& c) {
    c.state = Conn::State::kStoring;
    epoll_event ev{};
    ev.events = 0;
    ev.data.u64 = static_cast<uint64_t>(c.fd);
    epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
    if (c.too_large) {
      c.reply = "error: paste is larger than this server accepts (" +
                std::to_string(options_.max_bytes) + " bytes); nothing was stored\n";
    } else if (c.over_budget) {
      c.reply =
          "error: the server is receiving too many pastes at once; nothing was stored, try "
          "again shortly\n";
    } else if (c.data.empty()) {
      c.reply = "error: nothing received; pipe some text into nc\n";
    }
    if (!c.reply.empty()) {
      c.state = Conn::State::kReplying;
      write_reply(c);
      return;
    }
    int fd = c.fd;
    // The charge goes with the bytes until they are stored.
    auto task = [&, fd, peer = c.peer, local = c.local, data = std::move(c.data),
                 charge = std::move(c.charge)]() mutable {
      std::string line = store_(peer, local, std::move(data)) + "\n";
      charge.reset();
      {
        std::lock_guard<std::mutex> lock(done_mu);
        done.emplace_back(fd, std::move(line));
      }
      uint64_t one = 1;
      ssize_t n = write(wake_fd_, &one, sizeof(one));
      (void)n;
    };
    if (!pool.Submit(std::move(task), 1024)) {
      c.state = Conn::State::kReplying;
      c.reply = "error: the server is busy; try again shortly\n";
      write_reply(c);
    }
  };

  epoll_event events[128];
  bool accepting = true;
  bool listen_paused = false;  // out of file descriptors (acceptor.h)
  Acceptor acceptor("TCP paste");
  for (;;) {
    if (listen_paused && accepting && MonotonicMs() >= acceptor.paused_until()) {
      add(listen_fd_, EPOLLIN, kListenTag);
      listen_paused = false;
    }
    if (stopping_ && accepting) {
      if (!listen_paused) epoll_ctl(ep, EPOLL_CTL_DEL, listen_fd_, nullptr);
      accepting = false;
      // What arrived so far is what the client sent: store it now.
      std::vector<int> receiving;
      for (auto& [fd, c] : conns) {
        if (c->state == Conn::State::kReceiving) receiving.push_back(fd);
      }
      for (int fd : receiving) finish(*conns[fd]);
    }
    if (!accepting && conns.empty()) break;
    int n = epoll_wait(ep, events, 128, 100);
    int64_t now = MonotonicMs();
    for (int i = 0; i < n; ++i) {
      uint64_t tag = events[i].data.u64;
      if (tag == kWakeTag) {
        uint64_t count;
        while (read(wake_fd_, &count, sizeof(count)) > 0) {
        }
        std::vector<std::pair<int, std::string>> ready;
        {
          std::lock_guard<std::mutex> lock(done_mu);
          ready.swap(done);
        }
        for (auto& [fd, line] : ready) {
          auto it = conns.find(fd);
          if (it == conns.end()) continue;
          it->second->state = Conn::State::kReplying;
          it->second->reply = std::move(line);
          write_reply(*it->second);
        }
        continue;
      }
      if (tag == kListenTag) {
        static constexpr std::string_view kBusy =
            "error: the server has too many connections; try again\n";
        for (;;) {
          sockaddr_storage peer;
          int fd = acceptor.Accept(listen_fd_, &peer, kBusy);
          if (fd < 0) {
            if (errno == EMFILE && acceptor.paused_until() > now && accepting) {
              epoll_ctl(ep, EPOLL_CTL_DEL, listen_fd_, nullptr);
              listen_paused = true;
            }
            break;
          }
          if (conns.size() >= options_.max_connections) {
            ssize_t w = send(fd, kBusy.data(), kBusy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            (void)w;
            close(fd);
            continue;
          }
          sockaddr_storage local;
          socklen_t local_len = sizeof(local);
          getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len);
          auto c = std::make_unique<Conn>();
          c->fd = fd;
          c->peer = AddressOf(peer);
          c->local = AddressOf(local);
          c->opened = c->last_byte = now;
          if (options_.budget) c->charge = std::make_shared<MemoryCharge>(*options_.budget);
          add(fd, EPOLLIN | EPOLLRDHUP, static_cast<uint64_t>(fd));
          conns[fd] = std::move(c);
        }
        continue;
      }
      auto it = conns.find(static_cast<int>(tag));
      if (it == conns.end()) continue;
      Conn& c = *it->second;
      if (c.state == Conn::State::kReplying) {
        write_reply(c);
        continue;
      }
      if (c.state != Conn::State::kReceiving) continue;
      char buf[65536];
      bool eof = false;
      for (;;) {
        ssize_t r = recv(c.fd, buf, sizeof(buf), 0);
        if (r > 0) {
          c.last_byte = now;
          if (c.data.size() + static_cast<size_t>(r) > options_.max_bytes) {
            c.too_large = true;  // keep draining; answer once it ends
          } else if (!c.too_large && !c.over_budget) {
            c.data.append(buf, static_cast<size_t>(r));
            if (c.charge && !c.charge->GrowTo(c.data.capacity())) c.over_budget = true;
          }
          if (c.too_large || c.over_budget) {
            c.data.clear();
            c.data.shrink_to_fit();
            if (c.charge) c.charge->Release();
          }
          continue;
        }
        if (r == 0) eof = true;
        if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) eof = true;
        break;
      }
      if (eof) finish(c);
    }
    // Silence ends a paste (plain nc never half-closes); a client that
    // sends nothing, or trickles forever, is cut off.
    std::vector<int> due;
    for (auto& [fd, c] : conns) {
      if (c->state != Conn::State::kReceiving) continue;
      bool idle = !c->data.empty() || c->too_large
                      ? now - c->last_byte >= options_.idle_timeout_ms
                      : now - c->opened >= options_.total_timeout_ms / 4;
      if (idle || now - c->opened >= options_.total_timeout_ms) due.push_back(fd);
    }
    for (int fd : due) finish(*conns[fd]);
  }
  pool.Shutdown();
}

}  // namespace pastebin
