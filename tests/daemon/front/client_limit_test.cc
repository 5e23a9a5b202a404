#include "daemon/front/client_limit.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("the write gate lets a client's burst through, then names the wait") {
  FakeClock clock(1790000000);
  ClientLimit gate(2, 2, clock, 64, "pastes");  // 2 a minute, 2 at once
  int64_t wait = -1;
  CHECK(gate.Admit("192.0.2.1", &wait).ok());
  CHECK(wait == 0);
  CHECK(gate.Admit("192.0.2.1", &wait).ok());
  Status refused = gate.Admit("192.0.2.1", &wait);
  CHECK(refused.code() == Code::kRateLimited);
  CHECK(wait == 30);
  CHECK(refused.message() == "too many pastes from 192.0.2.1; try again in 30 seconds");
  CHECK(gate.Admit("192.0.2.2", &wait).ok());  // another client
  clock.Advance(29);
  CHECK(gate.Admit("192.0.2.1", &wait).message() ==
        "too many pastes from 192.0.2.1; try again in 1 second");
  clock.Advance(1);
  CHECK(gate.Admit("192.0.2.1", &wait).ok());
}

TEST_CASE("without a rate limit the gate lets everything through") {
  FakeClock clock(1790000000);
  ClientLimit gate(0, 1, clock, 64, "pastes");
  int64_t wait = -1;
  for (int i = 0; i < 100; ++i) CHECK(gate.Admit("192.0.2.1", &wait).ok());
  CHECK(wait == 0);
}

// Regression: an IPv6 client was counted per address, so one /64 made 22
// pastes under a 1/minute, burst-2 limit.
TEST_CASE("IPv6 clients count by prefix, IPv4 ones by address") {
  FakeClock clock(1790000000);
  ClientLimit gate(1, 2, clock, 64, "pastes");
  int64_t wait = 0;
  CHECK(gate.Admit("2001:db8:1:2::1", &wait).ok());
  CHECK(gate.Admit("2001:db8:1:2:aaaa:bbbb:cccc:dddd", &wait).ok());
  Status third = gate.Admit("2001:db8:1:2::ffff", &wait);
  CHECK(third.code() == Code::kRateLimited);
  CHECK(third.message() == "too many pastes from 2001:db8:1:2::/64; try again in 60 seconds");
  CHECK(gate.Admit("2001:db8:1:3::1", &wait).ok());  // another /64
  CHECK(gate.Admit("192.0.2.1", &wait).ok());
  CHECK(gate.Admit("192.0.2.1", &wait).ok());
  CHECK(gate.Admit("192.0.2.2", &wait).ok());  // IPv4: by address
  ClientLimit fine(1, 1, clock, 128, "pastes");
  CHECK(fine.Admit("2001:db8::1", &wait).ok());
  CHECK(fine.Admit("2001:db8::2", &wait).ok());
}

TEST_CASE("a check takes nothing and a spend takes what is left") {
  FakeClock clock(1790000000);
  ClientLimit misses(60, 2, clock, 64, "lookups of pastes that do not exist");
  int64_t wait = 0;
  for (int i = 0; i < 5; ++i) CHECK(misses.Check("192.0.2.1", &wait).ok());
  misses.Spend("192.0.2.1");
  misses.Spend("192.0.2.1");
  Status refused = misses.Check("192.0.2.1", &wait);
  CHECK(refused.message() ==
        "too many lookups of pastes that do not exist from 192.0.2.1; try again in 1 second");
  clock.Advance(1);
  CHECK(misses.Check("192.0.2.1", &wait).ok());
}

}  // namespace
}  // namespace pastebin
