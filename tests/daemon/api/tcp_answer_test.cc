#include "daemon/api/tcp_answer.h"

#include <catch2/catch.hpp>

#include "tests/daemon/harness/desk_harness.h"

namespace pastebin {
namespace {

using testing::DeskHarness;
using testing::DeskOptions;

TEST_CASE("a TCP paste goes through the same gate, service and links as HTTP") {
  DeskOptions o;
  o.rate_limit = 1;
  o.rate_limit_burst = 1;
  DeskHarness h(o);
  TcpAnswer tcp(h.pastes, h.writes, h.links, *h.log, h.clock);
  std::string line = tcp.Store("192.0.2.1", "10.0.0.5", "over netcat\n");
  REQUIRE(line.rfind("http://10.0.0.5:8077/", 0) == 0);
  std::string link = line.substr(line.rfind('/') + 1);
  CHECK((*h.pastes.Get(link))->contents == "over netcat\n");
  // The same client's next HTTP paste meets the same bucket, and the same
  // words.
  HttpResponse refused = h.Serve(DeskHarness::Request("POST", "/", {}, "x"));
  CHECK(refused.status == 429);
  CHECK(tcp.Store("192.0.2.1", "10.0.0.5", "again") ==
        "error: too many pastes from 192.0.2.1; try again in 60 seconds");
  CHECK(tcp.Store("192.0.2.9", "10.0.0.5", "") ==
        "error: paste is empty; there is nothing to store");
  std::string log = h.AccessLogText();
  CHECK(log.find("\"TCP / netcat\" 201") != std::string::npos);
  CHECK(log.find("\"TCP / netcat\" 429") != std::string::npos);
  CHECK(log.find("\"TCP / netcat\" 400") != std::string::npos);
}

}  // namespace
}  // namespace pastebin
