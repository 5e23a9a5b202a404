// WriteGate: whether a client may create a paste or a short link now. The
// one place the rate limit (rate_limit, rate_limit_burst) is applied and
// the one wording of its refusal, for every way in: the front desk asks it
// before any handler of a creating route runs (HTTP, in the route's
// dialect, with Retry-After), the raw TCP port before storing.
#ifndef PASTEBIN_DAEMON_FRONT_WRITE_GATE_H_
#define PASTEBIN_DAEMON_FRONT_WRITE_GATE_H_

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "daemon/base/rate_limiter.h"

namespace pastebin {

class WriteGate {
 public:
  // per_minute 0: no limit.
  WriteGate(int64_t per_minute, int64_t burst, const Clock& clock)
      : limiter_(per_minute, burst, clock) {}

  // OK when client (an address, see client_address.h) may write now, and
  // a token is taken; else kRateLimited, "too many pastes from CLIENT; try
  // again in N seconds", with *retry_after set to N. Thread-safe.
  Status Admit(const std::string& client, int64_t* retry_after);

 private:
  RateLimiter limiter_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_FRONT_WRITE_GATE_H_
