#include "common/clock.h"

#include <ctime>

namespace pastebin {
namespace {

class RealClock : public Clock {
 public:
  int64_t NowSeconds() const override {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<int64_t>(ts.tv_sec);
  }
};

}  // namespace

const Clock& SystemClock() {
  static RealClock clock;
  return clock;
}

}  // namespace pastebin
