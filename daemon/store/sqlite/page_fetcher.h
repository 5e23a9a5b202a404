// PageFetcher: reads a file's pages into the page cache for an event loop,
// with no thread waiting for them, and tells the loop when each is in.
//
// An event loop's lookup of a paste not in pasted's cache reads SQLite's
// pages without waiting (nowait_vfs.h); one on the disk used to send the
// lookup to a reader thread, which asked again and waited for the disk:
// two hand-offs, a thread asleep and woken for every read, and on this VM
// (whose every wake-up costs the hypervisor's interrupt round trip) more
// CPU than the read itself. Now the loop keeps the lookup, this reads the
// missing page through io_uring (a buffered read: the kernel's wait for
// the page, which the failed read had already asked the disk for, costs
// no thread), and the loop asks SQLite again once it is in.
//
// One per loop, used on that loop's thread only. io_uring's completions
// ring an eventfd the loop watches.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_PAGE_FETCHER_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_PAGE_FETCHER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "common/status.h"
#include "daemon/base/io_uring_ring.h"
#include "daemon/base/loop_watch.h"

namespace pastebin {

class PageFetcher {
 public:
  // Reads in flight at most; past them Fetch says no (a reader asks).
  static constexpr size_t kMaxInFlight = 64;
  // The most one read may ask for (SQLite's largest page).
  static constexpr int kMaxBytes = 65536;

  // fetched(tag) runs on the loop once Fetch(…, tag)'s read is done (or
  // failed: the caller's next try finds out). An error when io_uring
  // cannot be had here (a kernel without it, a sandbox that forbids it, a
  // limit on locked memory, PASTED_IO_URING=off): then lookups go to
  // readers, as before.
  static Result<std::unique_ptr<PageFetcher>> Start(LoopWatch& loop,
                                                    std::function<void(uint64_t tag)> fetched);
  // Waits for the reads in flight (they write into its buffers), without
  // telling anyone.
  ~PageFetcher();

  // Starts reading amount bytes of fd at offset; false when it cannot
  // (too many in flight, too large, the submission failed). tag: not 0.
  // fd must stay open until this returns (io_uring holds the file from
  // then on).
  bool Fetch(int fd, int64_t offset, int amount, uint64_t tag);

 private:
  struct Slot {
    std::unique_ptr<char[]> buffer;  // kMaxBytes, made on first use
    uint64_t tag = 0;
    bool used = false;
  };
  PageFetcher(LoopWatch& loop, std::function<void(uint64_t)> fetched);
  // The eventfd rang: every completion's fetched(tag), its slot free first.
  void Drain();

  LoopWatch& loop_;
  std::function<void(uint64_t)> fetched_;
  IoUringRing ring_;
  int eventfd_ = -1;
  std::vector<Slot> slots_;
  size_t in_flight_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_PAGE_FETCHER_H_
