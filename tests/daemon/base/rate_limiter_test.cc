#include "daemon/base/rate_limiter.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("a client gets its burst, then the per-minute rate") {
  FakeClock clock(1000);
  RateLimiter limiter(6, 3, clock);  // a token every 10 s, 3 at once
  CHECK(limiter.Take("a") == 0);
  CHECK(limiter.Take("a") == 0);
  CHECK(limiter.Take("a") == 0);
  CHECK(limiter.Take("a") == 10);  // empty: the next token in 10 s
  CHECK(limiter.Take("b") == 0);   // others are not affected
  clock.Advance(4);
  CHECK(limiter.Take("a") == 6);
  clock.Advance(6);
  CHECK(limiter.Take("a") == 0);
  CHECK(limiter.Take("a") == 10);
  clock.Advance(3600);  // a long pause refills only up to the burst
  for (int i = 0; i < 3; ++i) CHECK(limiter.Take("a") == 0);
  CHECK(limiter.Take("a") > 0);
}

TEST_CASE("a zero rate turns limiting off") {
  FakeClock clock(1000);
  RateLimiter limiter(0, 1, clock);
  for (int i = 0; i < 1000; ++i) REQUIRE(limiter.Take("a") == 0);
  CHECK_FALSE(limiter.enabled());
}

TEST_CASE("the limiter forgets idle clients to bound its memory") {
  FakeClock clock(1000);
  RateLimiter limiter(60, 1, clock, 32);  // 2 clients a shard
  for (int i = 0; i < 1000; ++i) limiter.Take("client" + std::to_string(i));
  clock.Advance(60);
  // Still limiting correctly after churning through far more clients.
  CHECK(limiter.Take("fresh") == 0);
  CHECK(limiter.Take("fresh") == 1);
}

}  // namespace
}  // namespace pastebin
