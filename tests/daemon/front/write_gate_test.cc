#include "daemon/front/write_gate.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("the write gate lets a client's burst through, then names the wait") {
  FakeClock clock(1790000000);
  WriteGate gate(2, 2, clock);  // 2 a minute, 2 at once
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
  WriteGate gate(0, 1, clock);
  int64_t wait = -1;
  for (int i = 0; i < 100; ++i) CHECK(gate.Admit("192.0.2.1", &wait).ok());
  CHECK(wait == 0);
}

}  // namespace
}  // namespace pastebin
