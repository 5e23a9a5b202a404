// SocketRing: an event loop's reads, or its answers, of one round with one
// system call.
//
// A keep-alive GET used to cost its loop a recv(2) and a send(2), and on
// a virtual machine a system call's entry and exit are a good part of a
// small answer's cost. Now a loop reads all the connections a round found
// readable, and later sends all the answers of the round, each batch with
// one call through io_uring. Every read and send is one that does not wait
// (MSG_DONTWAIT): each completes within the call with what recv(2) or
// send(2) would have returned, EAGAIN included.
//
// One per loop, used on that loop's thread only. Start probes that the
// kernel honours MSG_DONTWAIT in io_uring (an empty socket's read and a
// full socket's send must say EAGAIN at once, not wait): where it does
// not, or io_uring cannot be had, the loop makes its calls one by one.
#ifndef PASTEBIN_DAEMON_HTTP_SOCKET_RING_H_
#define PASTEBIN_DAEMON_HTTP_SOCKET_RING_H_

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "common/status.h"
#include "daemon/base/io_uring_ring.h"

namespace pastebin {

class SocketRing {
 public:
  // Buffers one send may take; the caller sends the rest after.
  static constexpr size_t kMaxPieces = 8;
  // Calls submitted with one system call, at most (more take several).
  static constexpr unsigned kEntries = 256;

  // An error when io_uring cannot be had here or does not honour
  // MSG_DONTWAIT: the caller uses recv(2) and send(2).
  static Result<std::unique_ptr<SocketRing>> Start();

  // Queues a send of pieces to fd (at most kMaxPieces of them) or a read
  // of up to size bytes from fd into buf; returns its index in the batch.
  // The memory must stay where it is until Run.
  size_t AddSend(int fd, const iovec* pieces, size_t n);
  size_t AddRecv(int fd, char* buf, size_t size);
  // Makes the calls queued. result(i) is then what the i-th call returned:
  // bytes (0: the peer closed, for a read), or -errno (-EAGAIN: the
  // socket is full, or empty).
  void Run();
  long result(size_t i) const { return batch_[i].result; }
  size_t size() const { return batch_.size(); }
  // Empties the batch for the next.
  void Clear() { batch_.clear(); }

 private:
  struct Entry {
    int fd;
    bool send;
    msghdr msg;  // a send's
    iovec pieces[kMaxPieces];
    long result;
  };
  SocketRing() = default;
  // Submits entries [from, to) and waits for each one's completion.
  void RunRange(size_t from, size_t to);

  IoUringRing ring_;
  std::vector<Entry> batch_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_SOCKET_RING_H_
