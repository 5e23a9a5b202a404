// The daemon's clock, with one testing hook: when the environment variable
// PASTED_FAKE_CLOCK_FILE names a file, the time (seconds since the epoch) is
// read from that file on every call instead of from the system, so
// end-to-end tests can move a real pasted through expiry without sleeping.
// Production never sets it; pasted logs a warning when it is set.
#ifndef PASTEBIN_DAEMON_BASE_TEST_CLOCK_H_
#define PASTEBIN_DAEMON_BASE_TEST_CLOCK_H_

#include <string>

#include "common/clock.h"

namespace pastebin {

constexpr char kFakeClockEnv[] = "PASTED_FAKE_CLOCK_FILE";

// Reads the time from a file; falls back to the system clock when the file
// cannot be read or parsed. Thread-safe.
class FileClock : public Clock {
 public:
  explicit FileClock(std::string path) : path_(std::move(path)) {}
  int64_t NowSeconds() const override;

 private:
  std::string path_;
};

// The system clock, or a FileClock when PASTED_FAKE_CLOCK_FILE is set (then
// *fake_from names the file).
const Clock& ClockFromEnvironment(std::string* fake_from);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_TEST_CLOCK_H_
