// MemoryBudget: bytes that many threads draw from and give back, capped in
// total: request bodies being received and held by handlers, or answers not
// yet sent. Drawing never allocates; it only decides whether an allocation
// may happen. Thread-safe.
#ifndef PASTEBIN_DAEMON_BASE_MEMORY_BUDGET_H_
#define PASTEBIN_DAEMON_BASE_MEMORY_BUDGET_H_

#include <atomic>
#include <cstddef>

namespace pastebin {

class MemoryBudget {
 public:
  explicit MemoryBudget(size_t limit) : limit_(limit) {}

  // Takes n bytes if they fit under the limit; false (nothing taken) if not.
  bool TryTake(size_t n);
  // Takes n bytes whether or not they fit (memory already in use).
  void Take(size_t n) { used_.fetch_add(n, std::memory_order_relaxed); }
  void Give(size_t n) { used_.fetch_sub(n, std::memory_order_relaxed); }

  size_t used() const { return used_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }
  bool exhausted() const { return used() >= limit_; }

 private:
  const size_t limit_;
  std::atomic<size_t> used_{0};
};

// Bytes drawn from a budget, given back when the charge is destroyed. Grows
// as a body arrives; owned by one thread at a time.
class MemoryCharge {
 public:
  explicit MemoryCharge(MemoryBudget& budget) : budget_(budget) {}
  ~MemoryCharge() { budget_.Give(bytes_); }
  MemoryCharge(const MemoryCharge&) = delete;
  MemoryCharge& operator=(const MemoryCharge&) = delete;

  // Raises the charge to total bytes; false (unchanged) if the budget has
  // no room for the difference.
  bool GrowTo(size_t total);
  // Lowers the charge to total bytes, giving back the rest (a reservation
  // that turned out larger than what was used).
  void ShrinkTo(size_t total) {
    if (total >= bytes_) return;
    budget_.Give(bytes_ - total);
    bytes_ = total;
  }
  // Gives back all it holds (the bytes were freed).
  void Release() {
    budget_.Give(bytes_);
    bytes_ = 0;
  }
  size_t bytes() const { return bytes_; }

 private:
  MemoryBudget& budget_;
  size_t bytes_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_MEMORY_BUDGET_H_
