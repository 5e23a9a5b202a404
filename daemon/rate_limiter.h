// RateLimiter: a token bucket per client, for writes. Each client may make
// `burst` writes at once and then `per_minute` a minute; a refused write is
// told how many seconds to wait. Thread-safe; memory is bounded by max_keys
// (clients whose bucket has refilled are forgotten first).
#ifndef PASTEBIN_DAEMON_RATE_LIMITER_H_
#define PASTEBIN_DAEMON_RATE_LIMITER_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace pastebin {

class RateLimiter {
 public:
  // per_minute 0 turns limiting off.
  RateLimiter(int64_t per_minute, int64_t burst, const Clock& clock, size_t max_keys = 100000);

  // Takes a token for key: 0 when the write may go ahead, else the seconds
  // (at least 1) until it could.
  int64_t Take(const std::string& key);

  bool enabled() const { return per_minute_ > 0; }

 private:
  struct Bucket {
    double tokens;
    int64_t updated;  // seconds since the epoch
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr size_t kShards = 16;
  void Refill(Bucket& b, int64_t now) const;

  int64_t per_minute_;
  double burst_;
  const Clock& clock_;
  size_t max_keys_per_shard_;
  std::vector<Shard> shards_;
};

// Proxies whose X-Forwarded-For is believed: addresses and CIDR ranges,
// IPv4 and IPv6 ("127.0.0.1, 10.0.0.0/8, ::1"), and "unix" for clients of
// a Unix socket listener (a proxy on the same host).
class TrustedProxies {
 public:
  // kInvalidArgument naming the bad entry.
  static Result<TrustedProxies> Parse(const std::string& list);
  bool Contains(const std::string& address) const;
  bool empty() const { return ranges_.empty() && !trust_unix_; }

 private:
  struct Range {
    int family;              // AF_INET or AF_INET6
    unsigned char addr[16];  // network byte order
    int prefix;              // bits
  };
  std::vector<Range> ranges_;
  bool trust_unix_ = false;
};

// The canonical spelling of an IPv4 or IPv6 address (IPv4-mapped IPv6
// addresses as IPv4); nullopt for anything that is not an address.
std::optional<std::string> CanonicalAddress(std::string_view text);

// The address a request came from: the connecting peer, or, when the peer
// is a trusted proxy, the last address in X-Forwarded-For (all its fields
// joined) that is not one: the first hop the proxies vouch for, in
// canonical form. A hop that is not an IP address ends the walk: the
// nearest trusted hop is the client then.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const TrustedProxies& proxies);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_RATE_LIMITER_H_
