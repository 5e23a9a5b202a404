#include "daemon/api/readiness.h"

#include "daemon/base/log.h"

namespace pastebin {

Status Readiness::Check() {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  bool first = checked_ == std::chrono::steady_clock::time_point();
  if (!first && now - checked_ < std::chrono::seconds(1)) return ready_;
  Status was = ready_;
  ready_ = pastes_.CheckReady();
  checked_ = now;
  if (!ready_.ok() && (first || was.ok() || was.message() != ready_.message())) {
    LogWarn("not ready: " + ready_.message() + " (" + where_ + ")");
  } else if (ready_.ok() && !was.ok()) {
    LogInfo("ready again");
  }
  return ready_;
}

}  // namespace pastebin
