#include "cli/client_config.h"

#include <stdlib.h>

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

// Sets or unsets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = getenv(name);
    if (old) old_ = old;
    had_ = old != nullptr;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      setenv(name_, old_.c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST_CASE("the server comes from flag, then environment, then file, then default") {
  ClientConfig file;
  file.server = "http://from-file:1";
  {
    ScopedEnv env("PASTEBIN_SERVER", "http://from-env:2");
    CHECK(ResolveServer("http://from-flag:3", file)->Base() == "http://from-flag:3");
    CHECK(ResolveServer("", file)->Base() == "http://from-env:2");
  }
  ScopedEnv env("PASTEBIN_SERVER", nullptr);
  CHECK(ResolveServer("", file)->Base() == "http://from-file:1");
  CHECK(ResolveServer("", ClientConfig())->Base() == "http://127.0.0.1:8077");
}

TEST_CASE("a bad server URL names where it came from") {
  ScopedEnv env("PASTEBIN_SERVER", "localhost:8077");
  auto url = ResolveServer("", ClientConfig());
  REQUIRE_FALSE(url.ok());
  CHECK(url.status().message() ==
        "PASTEBIN_SERVER: invalid server URL 'localhost:8077': no http:// "
        "scheme; expected http://HOST[:PORT] (e.g. http://127.0.0.1:8077) or "
        "unix:/PATH/TO/SOCKET");
}

TEST_CASE("the client config file holds server and expire") {
  auto config =
      ParseClientConfig("# my pastebin\nserver = https://paste.example.org\nexpire = 7d\n", "cfg");
  REQUIRE(config.ok());
  CHECK(config->server == "https://paste.example.org");
  CHECK(config->expire == "7d");
}

TEST_CASE("bad client config lines name the file and line") {
  CHECK(ParseClientConfig("colour = red\n", "cfg").status().message() ==
        "cfg:1: unknown key 'colour' (known keys: server, expire, admin_token, "
        "admin_token_file, autostart, timeout)");
  CHECK(ParseClientConfig("timeout = 0\n", "cfg").status().message() ==
        "cfg:1: key 'timeout': expected a number of seconds from 1 to 3600, got '0'");
  CHECK(ParseClientConfig("timeout = 5s\n", "cfg").status().message() ==
        "cfg:1: key 'timeout': expected a number of seconds from 1 to 3600, got '5s'");
  CHECK(ParseClientConfig("timeout = 30\n", "cfg")->timeout_sec == 30);
  CHECK(ParseClientConfig("\nexpire = soon\n", "cfg").status().message() ==
        "cfg:2: key 'expire': invalid duration 'soon': use a number of "
        "minutes or a number with m, h, d or w (30m, 2h, 7d, 2w), or 'never'");
  CHECK(ParseClientConfig("server\n", "cfg").status().message() ==
        "cfg:1: expected 'key = value', got 'server'");
}

TEST_CASE("the client config path follows XDG_CONFIG_HOME, then HOME") {
  {
    ScopedEnv xdg("XDG_CONFIG_HOME", "/x/config");
    CHECK(ClientConfigPath() == "/x/config/pastebin/config");
  }
  ScopedEnv xdg("XDG_CONFIG_HOME", nullptr);
  ScopedEnv home("HOME", "/home/u");
  CHECK(ClientConfigPath() == "/home/u/.config/pastebin/config");
}

}  // namespace
}  // namespace pastebin
