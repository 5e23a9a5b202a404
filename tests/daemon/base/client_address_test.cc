#include "daemon/base/client_address.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("trusted proxies match addresses and ranges") {
  auto p = TrustedProxies::Parse("127.0.0.1, 10.0.0.0/8,192.168.1.0/25, ::1, fd00::/8");
  REQUIRE(p.ok());
  for (const char* yes :
       {"127.0.0.1", "10.1.2.3", "192.168.1.127", "::1", "fd12::1", "::ffff:10.9.9.9"}) {
    INFO(yes);
    CHECK(p->Contains(yes));
  }
  for (const char* no :
       {"127.0.0.2", "11.0.0.1", "192.168.1.128", "::2", "fe80::1", "garbage", ""}) {
    INFO(no);
    CHECK_FALSE(p->Contains(no));
  }
  CHECK(TrustedProxies::Parse("").ok());
  CHECK(TrustedProxies::Parse("10.0.0.0/33").status().message() ==
        "'10.0.0.0/33' has a bad prefix length");
  CHECK(TrustedProxies::Parse("proxy.local").status().message() ==
        "'proxy.local' is not an IP address or CIDR range");
}

TEST_CASE("the client is the first address the trusted proxies vouch for") {
  auto p = *TrustedProxies::Parse("127.0.0.1, 10.0.0.0/8");
  // Not from a trusted proxy: its X-Forwarded-For is not believed.
  CHECK(ClientAddress("203.0.113.5", "1.2.3.4", p) == "203.0.113.5");
  // From a proxy: the last hop it did not add itself.
  CHECK(ClientAddress("127.0.0.1", "198.51.100.7", p) == "198.51.100.7");
  CHECK(ClientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", p) == "198.51.100.7");
  CHECK(ClientAddress("127.0.0.1", "", p) == "127.0.0.1");
  CHECK(ClientAddress("127.0.0.1", "10.0.0.3, 10.0.0.2", p) == "10.0.0.3");
  TrustedProxies none;
  CHECK(ClientAddress("127.0.0.1", "1.2.3.4", none) == "127.0.0.1");
}

TEST_CASE("only IP addresses are believed from X-Forwarded-For, in canonical form") {
  // Regression: any string was taken as the client, so forged values got
  // fresh rate-limit buckets and wrote what they liked into the log.
  auto p = *TrustedProxies::Parse("127.0.0.1, 10.0.0.0/8");
  CHECK(ClientAddress("127.0.0.1", "Forged1", p) == "127.0.0.1");
  CHECK(ClientAddress("127.0.0.1", "1.2.3.4 - - [01/Jan/1999", p) == "127.0.0.1");
  CHECK(ClientAddress("127.0.0.1", "198.51.100.7, junk, 10.0.0.2", p) == "10.0.0.2");
  CHECK(ClientAddress("127.0.0.1", "2001:DB8::0:1", p) == "2001:db8::1");
  CHECK(ClientAddress("127.0.0.1", "::ffff:198.51.100.7", p) == "198.51.100.7");
  CHECK(CanonicalAddress("198.51.100.7:443") == std::nullopt);
  CHECK(CanonicalAddress("") == std::nullopt);
}

TEST_CASE("unix in trusted_proxies trusts a Unix socket's clients") {
  auto p = *TrustedProxies::Parse("unix");
  CHECK(ClientAddress("unix:", "198.51.100.7", p) == "198.51.100.7");
  CHECK(ClientAddress("127.0.0.1", "198.51.100.7", p) == "127.0.0.1");
}

}  // namespace
}  // namespace pastebin
