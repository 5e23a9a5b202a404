#include "daemon/store/sqlite/page_fetcher.h"

#include <liburing.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pastebin {

Result<std::unique_ptr<PageFetcher>> PageFetcher::Start(LoopWatch& loop,
                                                        std::function<void(uint64_t tag)> fetched) {
  std::unique_ptr<PageFetcher> f(new PageFetcher(loop, std::move(fetched)));
  if (Status opened = f->ring_.Open(kMaxInFlight); !opened.ok()) return opened;
  f->eventfd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (f->eventfd_ < 0) return Internal(std::string("eventfd: ") + strerror(errno));
  int rc = io_uring_register_eventfd(f->ring_.get(), f->eventfd_);
  if (rc < 0) return Internal(std::string("io_uring's eventfd: ") + strerror(-rc));
  PageFetcher* p = f.get();
  if (!loop.Watch(f->eventfd_, EPOLLIN, [p](uint32_t) { p->Drain(); })) {
    return Internal(std::string("watching io_uring's eventfd: ") + strerror(errno));
  }
  return f;
}

PageFetcher::PageFetcher(LoopWatch& loop, std::function<void(uint64_t)> fetched)
    : loop_(loop), fetched_(std::move(fetched)), slots_(kMaxInFlight) {}

PageFetcher::~PageFetcher() {
  if (eventfd_ >= 0) {
    loop_.Unwatch(eventfd_);
    close(eventfd_);
  }
  // The kernel writes into the slots' buffers until each read completes.
  while (in_flight_ > 0) {
    io_uring_cqe* cqe = nullptr;
    int rc = io_uring_wait_cqe(ring_.get(), &cqe);
    if (rc == -EINTR) continue;
    if (rc < 0) break;  // cannot happen with reads in flight; do not spin
    io_uring_cqe_seen(ring_.get(), cqe);
    in_flight_--;
  }
  // ring_ is torn down after this.
}

bool PageFetcher::Fetch(int fd, int64_t offset, int amount, uint64_t tag) {
  if (fd < 0 || amount <= 0 || amount > kMaxBytes || in_flight_ >= kMaxInFlight) return false;
  size_t i = 0;
  while (slots_[i].used) ++i;  // in_flight_ < kMaxInFlight: one is free
  io_uring_sqe* sqe = io_uring_get_sqe(ring_.get());
  if (sqe == nullptr) return false;
  Slot& slot = slots_[i];
  if (!slot.buffer) slot.buffer.reset(new char[kMaxBytes]);
  io_uring_prep_read(sqe, fd, slot.buffer.get(), static_cast<unsigned>(amount),
                     static_cast<uint64_t>(offset));
  io_uring_sqe_set_data64(sqe, i);
  // (One left unsubmitted by a failed call before goes with this one.)
  const bool submitted = io_uring_submit(ring_.get()) > 0;
  // Not submitted, the read still goes with the next submission: its slot
  // stays taken until it completes, for nobody (tag 0).
  slot.used = true;
  slot.tag = submitted ? tag : 0;
  in_flight_++;
  return submitted;
}

void PageFetcher::Drain() {
  uint64_t rung;
  while (read(eventfd_, &rung, sizeof rung) < 0 && errno == EINTR) {
  }
  std::vector<uint64_t> done;
  io_uring_cqe* cqe = nullptr;
  while (io_uring_peek_cqe(ring_.get(), &cqe) == 0 && cqe != nullptr) {
    Slot& slot = slots_[io_uring_cqe_get_data64(cqe)];
    io_uring_cqe_seen(ring_.get(), cqe);
    slot.used = false;
    in_flight_--;
    if (slot.tag != 0) done.push_back(slot.tag);
  }
  // Slots free first: a callback may fetch again.
  for (uint64_t tag : done) fetched_(tag);
}

}  // namespace pastebin
