// pasted's io_uring rings: whether it may use io_uring at all, and a ring
// owned by the part that uses it.
//
// Yes, unless the environment variable PASTED_IO_URING is "off". Off,
// pasted runs as where a kernel or sandbox forbids io_uring (each part that
// uses it has a way without it), so tests can check that way and
// benchmarks can compare the two.
#ifndef PASTEBIN_DAEMON_BASE_IO_URING_RING_H_
#define PASTEBIN_DAEMON_BASE_IO_URING_RING_H_

#include <memory>

#include "common/status.h"

struct io_uring;
struct io_uring_params;

namespace pastebin {

constexpr char kIoUringEnv[] = "PASTED_IO_URING";

// OK, or why io_uring is not to be used.
Status IoUringAllowed();

// One io_uring, torn down with this (its owner first waits for whatever
// the kernel still writes into the owner's memory).
class IoUringRing {
 public:
  IoUringRing();
  ~IoUringRing();
  IoUringRing(const IoUringRing&) = delete;
  IoUringRing& operator=(const IoUringRing&) = delete;

  // Sets the ring up with room for entries calls (params: io_uring's, or
  // null for its defaults). An error when io_uring is off
  // (IoUringAllowed) or cannot be had here.
  Status Open(unsigned entries, io_uring_params* params = nullptr);
  io_uring* get() const { return ring_.get(); }

 private:
  std::unique_ptr<io_uring> ring_;
  bool open_ = false;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_IO_URING_RING_H_
