#include "daemon/base/memory_budget.h"

namespace pastebin {

bool MemoryBudget::TryTake(size_t n) {
  size_t used = used_.load(std::memory_order_relaxed);
  do {
    if (n > limit_ || used > limit_ - n) return false;
  } while (!used_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
  return true;
}

bool MemoryCharge::GrowTo(size_t total) {
  if (total <= bytes_) return true;
  if (!budget_.TryTake(total - bytes_)) return false;
  bytes_ = total;
  return true;
}

}  // namespace pastebin
