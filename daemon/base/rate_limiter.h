// RateLimiter: a token bucket per key (a client), for writes. Each client may make
// `burst` writes at once and then `per_minute` a minute; a refused write is
// told how many seconds to wait. Thread-safe; memory is bounded by max_keys
// (clients whose bucket has refilled are forgotten first).
#ifndef PASTEBIN_DAEMON_BASE_RATE_LIMITER_H_
#define PASTEBIN_DAEMON_BASE_RATE_LIMITER_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"

namespace pastebin {

class RateLimiter {
 public:
  // per_minute 0 turns limiting off.
  RateLimiter(int64_t per_minute, int64_t burst, const Clock& clock, size_t max_keys = 100000);

  // Takes a token for key: 0 when the write may go ahead, else the seconds
  // (at least 1) until it could.
  int64_t Take(const std::string& key);
  // What Take would answer, without taking a token.
  int64_t Wait(const std::string& key);

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
  int64_t Use(const std::string& key, bool take);

  int64_t per_minute_;
  double burst_;
  const Clock& clock_;
  size_t max_keys_per_shard_;
  std::vector<Shard> shards_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_RATE_LIMITER_H_
