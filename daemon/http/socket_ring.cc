#include "daemon/http/socket_ring.h"

#include <liburing.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "daemon/base/log.h"

namespace pastebin {
namespace {

constexpr int kFlags = MSG_DONTWAIT | MSG_NOSIGNAL;

// Makes one call through ring and returns its result, or says that it
// waited: a read of an empty socket or a send to a full one that does not
// fail at once.
Result<int> OneCall(io_uring* ring, bool send, int fd, int peer) {
  static char buf[1];
  iovec piece{buf, 1};
  msghdr msg{};
  msg.msg_iov = &piece;
  msg.msg_iovlen = 1;
  io_uring_sqe* sqe = io_uring_get_sqe(ring);
  if (send) {
    io_uring_prep_sendmsg(sqe, fd, &msg, kFlags);
  } else {
    io_uring_prep_recv(sqe, fd, buf, sizeof buf, kFlags);
  }
  io_uring_submit(ring);
  io_uring_cqe* cqe = nullptr;
  __kernel_timespec wait{0, 200 * 1000 * 1000};
  int rc = io_uring_wait_cqe_timeout(ring, &cqe, &wait);
  bool waited = rc == -ETIME;
  if (waited) {
    shutdown(peer, SHUT_RDWR);  // ends the call that waits
    rc = io_uring_wait_cqe(ring, &cqe);
  }
  int result = rc == 0 ? cqe->res : rc;
  if (rc == 0) io_uring_cqe_seen(ring, cqe);
  if (waited) {
    return Internal(std::string("io_uring here waits ") +
                    (send ? "for room in a full socket" : "for bytes on an empty socket"));
  }
  return result;
}

// Whether an empty socket's read and a full socket's send through ring say
// EAGAIN at once, as SocketRing needs. An error says why not.
Status ProbeNoWait(io_uring* ring) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
    return Internal(std::string("socketpair: ") + strerror(errno));
  }
  Result<int> read = OneCall(ring, false, pair[0], pair[1]);
  Result<int> sent = read.ok() ? Result<int>(0) : read;
  if (read.ok()) {
    static char filler[65536];
    while (send(pair[0], filler, sizeof filler, kFlags) > 0) {
    }
    sent = OneCall(ring, true, pair[0], pair[1]);
  }
  close(pair[0]);
  close(pair[1]);
  if (!sent.ok()) return sent.status();
  for (int got : {*read, *sent}) {
    if (got != -EAGAIN) {
      return Internal("io_uring's call on a socket that was not ready said " + std::to_string(got) +
                      ", not EAGAIN");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SocketRing>> SocketRing::Start() {
  std::unique_ptr<SocketRing> s(new SocketRing());
  io_uring_params params{};
  params.flags = IORING_SETUP_CQSIZE;
  params.cq_entries = 2 * kEntries;
  if (Status opened = s->ring_.Open(kEntries, &params); !opened.ok()) return opened;
  Status probe = ProbeNoWait(s->ring_.get());
  if (!probe.ok()) return probe;
  s->batch_.reserve(kEntries);
  return s;
}

size_t SocketRing::AddSend(int fd, const iovec* pieces, size_t n) {
  Entry& e = batch_.emplace_back();
  e.fd = fd;
  e.send = true;
  n = std::min(n, kMaxPieces);
  std::copy(pieces, pieces + n, e.pieces);
  e.msg = msghdr{};
  e.msg.msg_iovlen = n;
  e.result = 0;
  return batch_.size() - 1;
}

size_t SocketRing::AddRecv(int fd, char* buf, size_t size) {
  Entry& e = batch_.emplace_back();
  e.fd = fd;
  e.send = false;
  e.pieces[0] = {buf, size};
  e.result = 0;
  return batch_.size() - 1;
}

void SocketRing::Run() {
  for (size_t from = 0; from < batch_.size(); from += kEntries) {
    RunRange(from, std::min(batch_.size(), from + kEntries));
  }
}

void SocketRing::RunRange(size_t from, size_t to) {
  io_uring* ring = ring_.get();
  for (size_t i = from; i < to; ++i) {
    Entry& e = batch_[i];
    io_uring_sqe* sqe = io_uring_get_sqe(ring);  // the ring has room: all were reaped
    if (e.send) {
      e.msg.msg_iov = e.pieces;  // here: the batch may have moved since AddSend
      io_uring_prep_sendmsg(sqe, e.fd, &e.msg, kFlags);
    } else {
      io_uring_prep_recv(sqe, e.fd, e.pieces[0].iov_base, e.pieces[0].iov_len, kFlags);
    }
    io_uring_sqe_set_data64(sqe, i);
  }
  const unsigned want = static_cast<unsigned>(to - from);
  // Each call completes within the system call (MSG_DONTWAIT): waiting for
  // all of them waits for no client.
  int rc;
  while ((rc = io_uring_submit_and_wait(ring, want)) < 0) {
    // Interrupted, or the kernel short of memory for a moment: the calls
    // are in the ring and must go before anything else is queued.
    if (rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
      LogError(std::string("io_uring_enter failed on the sockets' calls: ") + strerror(-rc));
      std::abort();  // a bug: a send left in the ring would go twice
    }
    if (rc != -EINTR) sched_yield();
  }
  for (unsigned got = 0; got < want;) {
    io_uring_cqe* cqe = nullptr;
    int w = io_uring_wait_cqe(ring, &cqe);
    if (w == -EINTR) continue;
    if (w < 0) {
      LogError(std::string("io_uring: waiting for the sockets' calls: ") + strerror(-w));
      std::abort();
    }
    batch_[io_uring_cqe_get_data64(cqe)].result = cqe->res;
    io_uring_cqe_seen(ring, cqe);
    ++got;
  }
}

}  // namespace pastebin
