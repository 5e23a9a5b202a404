#include "daemon/front/links.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

HttpRequest WithAuthority(const std::string& authority) {
  HttpRequest req;
  req.authority = authority;
  return req;
}

TEST_CASE("links are built on public_url when it is set, over HTTP and TCP alike") {
  Links links("https://paste.example.org", "http", "127.0.0.1", 8077);
  CHECK(links.Of(WithAuthority("evil.test"), "Ab3dE9x") == "https://paste.example.org/Ab3dE9x");
  CHECK(links.OverTcp("10.0.0.5", "Ab3dE9x") == "https://paste.example.org/Ab3dE9x");
}

TEST_CASE("without public_url, links follow the host the client addressed") {
  Links links("", "https", "0.0.0.0", 8443);
  const std::string long_host(300, 'a');
  struct Case {
    std::string authority;
    const char* base;
  };
  const Case kCases[] = {
      {"paste.test", "https://paste.test"},
      {"paste.test:8443", "https://paste.test:8443"},
      {"[::1]:8443", "https://[::1]:8443"},
      {"", "https://0.0.0.0:8443"},             // HTTP/1.0 without Host
      {"bad host\">", "https://0.0.0.0:8443"},  // not a host name
      {long_host, "https://0.0.0.0:8443"},      // too long
  };
  for (const Case& c : kCases) {
    INFO(c.authority);
    CHECK(links.Base(WithAuthority(c.authority)) == c.base);
  }
}

TEST_CASE("over TCP, the link names the address the client connected to") {
  Links links("", "http", "::", 8077);
  CHECK(links.OverTcp("192.0.2.7", "Ab3dE9x") == "http://192.0.2.7:8077/Ab3dE9x");
  CHECK(links.OverTcp("2001:db8::1", "Ab3dE9x") == "http://[2001:db8::1]:8077/Ab3dE9x");
}

}  // namespace
}  // namespace pastebin
