#include "daemon/base/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace pastebin {

RateLimiter::RateLimiter(int64_t per_minute, int64_t burst, const Clock& clock, size_t max_keys)
    : per_minute_(per_minute),
      burst_(static_cast<double>(std::max<int64_t>(burst, 1))),
      clock_(clock),
      max_keys_per_shard_(std::max<size_t>(max_keys / kShards, 1)),
      shards_(kShards) {}

void RateLimiter::Refill(Bucket& b, int64_t now) const {
  if (now > b.updated) {
    b.tokens = std::min(burst_, b.tokens + (now - b.updated) * per_minute_ / 60.0);
    b.updated = now;
  }
}

int64_t RateLimiter::Take(const std::string& key) { return Use(key, true); }

int64_t RateLimiter::Wait(const std::string& key) { return Use(key, false); }

int64_t RateLimiter::Use(const std::string& key, bool take) {
  if (per_minute_ <= 0) return 0;
  int64_t now = clock_.NowSeconds();
  Shard& shard = shards_[std::hash<std::string>()(key) % kShards];
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (!take) return 0;  // a full bucket, not worth remembering
    if (shard.buckets.size() >= max_keys_per_shard_) {
      // Forget clients that are back to a full bucket: they lose nothing.
      for (auto i = shard.buckets.begin(); i != shard.buckets.end();) {
        Refill(i->second, now);
        i = i->second.tokens >= burst_ ? shard.buckets.erase(i) : std::next(i);
      }
      if (shard.buckets.size() >= max_keys_per_shard_) shard.buckets.clear();
    }
    it = shard.buckets.emplace(key, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens >= 1.0) {
    if (take) b.tokens -= 1.0;
    return 0;
  }
  double wait = (1.0 - b.tokens) * 60.0 / static_cast<double>(per_minute_);
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait)));
}

}  // namespace pastebin
