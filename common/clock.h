// Clock: the seam for time. Production code reads the system clock; tests
// use FakeClock and move it instead of sleeping.
#ifndef PASTEBIN_COMMON_CLOCK_H_
#define PASTEBIN_COMMON_CLOCK_H_

#include <atomic>
#include <cstdint>

namespace pastebin {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch, UTC. Thread-safe.
  virtual int64_t NowSeconds() const = 0;
};

// The process-wide system clock.
const Clock& SystemClock();

// A clock that stands still until told to move. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now) : now_(now) {}
  int64_t NowSeconds() const override { return now_.load(); }
  void Set(int64_t now) { now_.store(now); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_CLOCK_H_
