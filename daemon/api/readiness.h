// Readiness: whether a paste could be stored now (PasteService::CheckReady),
// probed at most once a second however often it is asked (the probe
// writes and syncs a file), and a change logged once, not every probe.
// One probe runs at a time: while it runs, other askers get the last answer
// at once, or kUnavailable once it has run longer than kProbeLimit (a store
// cut off the network), so /readyz always answers quickly.
#ifndef PASTEBIN_DAEMON_API_READINESS_H_
#define PASTEBIN_DAEMON_API_READINESS_H_

#include <chrono>
#include <mutex>
#include <string>

#include "common/status.h"
#include "daemon/paste_service.h"

namespace pastebin {

class Readiness {
 public:
  // where: what the log names with a failure (the data dir, the store).
  Readiness(PasteService& pastes, std::string where) : pastes_(pastes), where_(std::move(where)) {}

  // OK, or kUnavailable / kInsufficientStorage saying why (without
  // paths). Thread-safe.
  Status Check();

  static constexpr std::chrono::seconds kProbeLimit{2};

 private:
  PasteService& pastes_;
  std::string where_;
  std::mutex mu_;
  Status ready_;
  std::chrono::steady_clock::time_point checked_;
  bool probing_ = false;
  std::chrono::steady_clock::time_point probe_started_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_API_READINESS_H_
