#include "daemon/http/socket_ring.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "daemon/base/io_uring_ring.h"

namespace pastebin {
namespace {

struct Pair {
  int fd[2];
  Pair() { REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd) == 0); }
  ~Pair() {
    for (int f : fd) {
      if (f >= 0) close(f);
    }
  }
};

// The ring, or nothing where this kernel or sandbox refuses io_uring
// (then pasted makes its calls one by one, which e2e tests cover).
std::unique_ptr<SocketRing> RingOrSkip() {
  auto ring = SocketRing::Start();
  if (!ring.ok()) {
    WARN("no SocketRing here: " << ring.status().message());
    return nullptr;
  }
  return std::move(ring).value();
}

std::string Drain(int fd) {
  std::string got;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  return got;
}

TEST_CASE("a socket ring's calls return what recv and send would") {
  auto ring = RingOrSkip();
  if (!ring) return;
  Pair a, b, c;
  char buf[64];
  // Nothing to read yet: EAGAIN at once, not a wait.
  ring->AddRecv(a.fd[0], buf, sizeof buf);
  // Several pieces go as one send, in order.
  std::string head = "HTTP/1.1 200 OK\r\n\r\n", body = "hello";
  iovec pieces[] = {{head.data(), head.size()}, {body.data(), body.size()}};
  ring->AddSend(b.fd[0], pieces, 2);
  // The peer has gone: a read says 0, a send EPIPE (and no SIGPIPE).
  close(c.fd[1]);
  c.fd[1] = -1;
  ring->AddRecv(c.fd[0], buf, sizeof buf);
  iovec one[] = {{body.data(), body.size()}};
  ring->AddSend(c.fd[0], one, 1);
  ring->Run();
  REQUIRE(ring->size() == 4);
  CHECK(ring->result(0) == -EAGAIN);
  CHECK(ring->result(1) == static_cast<long>(head.size() + body.size()));
  CHECK(Drain(b.fd[1]) == head + body);
  CHECK(ring->result(2) == 0);
  CHECK(ring->result(3) == -EPIPE);

  // Next batch: what b's peer wrote is read.
  ring->Clear();
  REQUIRE(write(b.fd[1], "GET / HTTP/1.1\r\n\r\n", 18) == 18);
  ring->AddRecv(b.fd[0], buf, sizeof buf);
  ring->Run();
  REQUIRE(ring->size() == 1);
  REQUIRE(ring->result(0) == 18);
  CHECK(std::string(buf, 18) == "GET / HTTP/1.1\r\n\r\n");
}

TEST_CASE("a socket ring's send to a full socket says how much went, then EAGAIN") {
  auto ring = RingOrSkip();
  if (!ring) return;
  Pair p;
  std::string big(4 << 20, 'x');
  iovec piece[] = {{big.data(), big.size()}};
  ring->AddSend(p.fd[0], piece, 1);
  ring->Run();
  long sent = ring->result(0);
  CHECK(sent > 0);
  CHECK(sent < static_cast<long>(big.size()));  // the socket's buffer is smaller
  ring->Clear();
  ring->AddSend(p.fd[0], piece, 1);
  ring->Run();
  CHECK(ring->result(0) == -EAGAIN);
  CHECK(Drain(p.fd[1]).size() == static_cast<size_t>(sent));
}

TEST_CASE("a socket ring takes more calls than its ring holds, each in its place") {
  auto ring = RingOrSkip();
  if (!ring) return;
  const size_t n = SocketRing::kEntries + 3;  // two submissions
  std::vector<Pair> pairs(n);
  std::vector<std::string> said(n);
  std::vector<iovec> pieces(n);
  for (size_t i = 0; i < n; ++i) {
    said[i] = "answer " + std::to_string(i);
    pieces[i] = {said[i].data(), said[i].size()};
    CHECK(ring->AddSend(pairs[i].fd[0], &pieces[i], 1) == i);
  }
  ring->Run();
  for (size_t i = 0; i < n; ++i) {
    CHECK(ring->result(i) == static_cast<long>(said[i].size()));
    CHECK(Drain(pairs[i].fd[1]) == said[i]);
  }
}

TEST_CASE("PASTED_IO_URING=off keeps the socket ring from starting") {
  setenv(kIoUringEnv, "off", 1);
  auto ring = SocketRing::Start();
  unsetenv(kIoUringEnv);
  REQUIRE_FALSE(ring.ok());
  CHECK(ring.status().message().find("PASTED_IO_URING=off") != std::string::npos);
}

}  // namespace
}  // namespace pastebin
