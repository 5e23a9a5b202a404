#include "daemon/api/readiness.h"

#include "daemon/base/log.h"

namespace pastebin {

Status Readiness::Check() {
  std::unique_lock<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  bool first = checked_ == std::chrono::steady_clock::time_point();
  if (probing_) {
    // One probe at a time; the others answer at once, from the last one,
    // unless this one has taken too long to be anything but a no.
    if (now - probe_started_ < kProbeLimit) return ready_;  // OK before the first
    return Status(Code::kUnavailable,
                  "the store has not answered for " + std::to_string(kProbeLimit.count()) + " s");
  }
  if (!first && now - checked_ < std::chrono::seconds(1)) return ready_;
  probing_ = true;
  probe_started_ = now;
  lock.unlock();
  Status probed = pastes_.CheckReady();
  lock.lock();
  probing_ = false;
  Status was = ready_;
  ready_ = probed;
  checked_ = std::chrono::steady_clock::now();
  if (!ready_.ok() && (first || was.ok() || was.message() != ready_.message())) {
    LogWarn("not ready: " + ready_.message() + " (" + where_ + ")");
  } else if (ready_.ok() && !was.ok()) {
    LogInfo("ready again");
  }
  return ready_;
}

}  // namespace pastebin
