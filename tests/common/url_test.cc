#include "common/url.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("server URLs parse into origin and prefix") {
  auto u = ParseServerUrl("http://127.0.0.1:8077");
  REQUIRE(u.ok());
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == 8077);
  CHECK(u->Origin() == "http://127.0.0.1:8077");
  CHECK(u->Base() == "http://127.0.0.1:8077");

  auto p = ParseServerUrl("https://paste.example.org/p/");
  REQUIRE(p.ok());
  CHECK(p->port == 443);
  CHECK(p->Origin() == "https://paste.example.org");
  CHECK(p->Base() == "https://paste.example.org/p");

  auto v6 = ParseServerUrl("http://[::1]:9000");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->Origin() == "http://[::1]:9000");

  auto sock = ParseServerUrl("unix:/run/pasted/pasted.sock");
  REQUIRE(sock.ok());
  CHECK(sock->unix_socket == "/run/pasted/pasted.sock");
  CHECK(sock->Origin() == "unix:/run/pasted/pasted.sock");
  CHECK(sock->Base() == "unix:/run/pasted/pasted.sock");
}

TEST_CASE("bad server URLs name the problem and the expected form") {
  struct Case {
    const char* url;
    const char* why;
  };
  const Case kCases[] = {
      {"localhost:8077", "no http:// scheme"},
      {"ftp://host", "scheme must be http or https"},
      {"http://", "no host"},
      {"http://host:", "empty port"},
      {"http://host:0", "port must be a number from 1 to 65535"},
      {"http://host:70000", "port must be a number from 1 to 65535"},
      {"http://host:80x", "port must be a number from 1 to 65535"},
      {"http://ho st", "bad character in host"},
      {"http://user@host", "user names in URLs are not supported"},
      {"http://host/?q=1", "a query or fragment is not allowed"},
      {"http://[::1", "unclosed '[' in IPv6 address"},
      {"unix:pasted.sock", "a Unix socket's path is absolute"},
      {"unix:", "a Unix socket's path is absolute"},
  };
  for (const auto& c : kCases) {
    INFO(c.url);
    auto u = ParseServerUrl(c.url);
    REQUIRE_FALSE(u.ok());
    CHECK(u.status().message() == std::string("invalid server URL '") + c.url + "': " + c.why +
                                      "; expected http://HOST[:PORT] (e.g. http://127.0.0.1:8077) "
                                      "or unix:/PATH/TO/SOCKET");
  }
}

}  // namespace
}  // namespace pastebin
