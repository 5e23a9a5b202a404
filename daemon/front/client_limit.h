// ClientLimit: a rate limit per client, with the one wording of its
// refusal. Two of them guard pasted: the write gate (rate_limit: pastes and
// short links made, asked by the front desk before any creating route's
// handler runs, and by the raw TCP port before storing) and the miss gate
// (miss_limit: lookups of pastes that do not exist, so links cannot be
// guessed at speed). A client is its address, IPv6 ones by their first
// ipv6_prefix bits (client_address.h, LimitKey).
#ifndef PASTEBIN_DAEMON_FRONT_CLIENT_LIMIT_H_
#define PASTEBIN_DAEMON_FRONT_CLIENT_LIMIT_H_

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "daemon/base/client_address.h"
#include "daemon/base/rate_limiter.h"

namespace pastebin {

class ClientLimit {
 public:
  // per_minute 0: no limit. what names what is counted in refusals
  // ("pastes", "lookups of pastes that do not exist").
  ClientLimit(int64_t per_minute, int64_t burst, const Clock& clock, int ipv6_prefix,
              std::string what)
      : limiter_(per_minute, burst, clock), ipv6_prefix_(ipv6_prefix), what_(std::move(what)) {}

  // OK when client (an address, see client_address.h) may go on, taking
  // one from its allowance; else kRateLimited, "too many WHAT from CLIENT;
  // try again in N seconds" (CLIENT as counted: an IPv6 prefix), with
  // *retry_after set to N. Thread-safe.
  Status Admit(const std::string& client, int64_t* retry_after);
  // The same answer, taking nothing (for a limit on what a request may turn
  // out to be, taken with Spend once it is known).
  Status Check(const std::string& client, int64_t* retry_after);
  // Takes one from client's allowance, if any is left.
  void Spend(const std::string& client) { limiter_.Take(LimitKey(client, ipv6_prefix_)); }

 private:
  Status Answer(const std::string& key, int64_t wait, int64_t* retry_after) const;

  RateLimiter limiter_;
  int ipv6_prefix_;
  std::string what_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_FRONT_CLIENT_LIMIT_H_
