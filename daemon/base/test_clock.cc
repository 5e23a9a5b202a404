#include "daemon/base/test_clock.h"

#include <stdlib.h>

#include <fstream>

namespace pastebin {

int64_t FileClock::NowSeconds() const {
  std::ifstream in(path_);
  long long now = 0;
  if (in >> now) return now;
  return SystemClock().NowSeconds();
}

const Clock& ClockFromEnvironment(std::string* fake_from) {
  const char* path = getenv(kFakeClockEnv);
  if (!path || !path[0]) return SystemClock();
  static FileClock clock(path);
  *fake_from = path;
  return clock;
}

}  // namespace pastebin
