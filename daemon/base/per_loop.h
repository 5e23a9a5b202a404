// PerLoop<T>: each event loop's own T, for a part that keeps state on the
// loops it is used on (a store's lookups waiting on a loop): each loop's
// thread touches its own T only; the map of them is shared.
#ifndef PASTEBIN_DAEMON_BASE_PER_LOOP_H_
#define PASTEBIN_DAEMON_BASE_PER_LOOP_H_

#include <memory>
#include <mutex>
#include <unordered_map>

#include "daemon/base/loop_watch.h"

namespace pastebin {

template <typename T>
class PerLoop {
 public:
  // loop's T. made: it is new, to be set up now (on loop's thread), with
  // a round hook that calls Stop as the loop stops. One whose loop stopped
  // was another loop's, made where this one is now: it gives way.
  T* Of(LoopWatch* loop, bool* made) {
    std::lock_guard<std::mutex> lock(mu_);
    Slot& slot = slots_[loop];
    *made = !slot.value || slot.stopped;
    if (*made) {
      slot.value = std::make_unique<T>();
      slot.stopped = false;
    }
    return slot.value.get();
  }
  // loop stops: its T is let go by the next Of of its address.
  void Stop(LoopWatch* loop) {
    std::lock_guard<std::mutex> lock(mu_);
    slots_[loop].stopped = true;
  }

 private:
  struct Slot {
    std::unique_ptr<T> value;
    bool stopped = false;
  };
  std::mutex mu_;
  std::unordered_map<LoopWatch*, Slot> slots_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_PER_LOOP_H_
