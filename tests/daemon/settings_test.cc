#include "daemon/settings.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("every default in the settings table is valid") {
  for (const auto& def : SettingDefs()) {
    Settings s;
    INFO(def.key);
    CHECK(def.set(s, def.default_value, def).ok());
  }
  Settings s = DefaultSettings();
  CHECK(s.listen_host == "127.0.0.1");
  CHECK(s.listen_port == kDefaultPort);
  CHECK(s.max_paste_bytes == 10 * 1024 * 1024);
  CHECK(s.threads == 64);
  CHECK(s.public_url.empty());
}

TEST_CASE("keys map to flags with dashes") {
  CHECK(FlagName("max_paste_bytes") == "--max-paste-bytes");
  CHECK(FlagName("listen") == "--listen");
}

TEST_CASE("config files set keys, ignoring comments and blank lines") {
  Settings s = DefaultSettings();
  Status st = ApplyConfigText(s,
                              "# pasted settings\n"
                              "\n"
                              "listen = [::1]:9000\n"
                              "  max_paste_bytes=1M   # no inline comments\n",
                              "pasted.conf");
  // Inline comments are not supported: the value is the whole rest.
  CHECK(st.message() ==
        "pasted.conf:4: key 'max_paste_bytes': invalid value '1M   # no "
        "inline comments', expected a whole number from 1 to 1073741824 (K, "
        "M or G may follow)");
  s = DefaultSettings();
  REQUIRE(ApplyConfigText(s,
                          "listen = [::1]:9000\n"
                          "max_paste_bytes = 1M\n"
                          "public_url = \"https://paste.example.org/\"\n"
                          "data_dir = /var/lib/pasted\r\n",
                          "pasted.conf")
              .ok());
  CHECK(s.listen_host == "::1");
  CHECK(s.listen_port == 9000);
  CHECK(s.max_paste_bytes == 1024 * 1024);
  CHECK(s.public_url == "https://paste.example.org");
  CHECK(s.data_dir == "/var/lib/pasted");
}

TEST_CASE("bad config lines name the file, line and key") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case kCases[] = {
      {"listen = 127.0.0.1:8077\nno_such_key = 1\n",
       "/etc/pasted.conf:2: unknown key 'no_such_key' (see pasted.conf(5) for "
       "the keys)"},
      {"just words\n", "/etc/pasted.conf:1: expected 'key = value', got 'just words'"},
      {"threads = 0\n",
       "/etc/pasted.conf:1: key 'threads': invalid value '0', expected a whole "
       "number from 1 to 4096"},
      {"threads = many\n",
       "/etc/pasted.conf:1: key 'threads': invalid value 'many', expected a "
       "whole number from 1 to 4096"},
      // Regression: a CR in public_url reached the Location header.
      {"public_url = https://p.example.org\rX-Injected: 1\n",
       "/etc/pasted.conf:1: key 'public_url' holds a control character (such as CR or a tab); "
       "write the value on one line, without them"},
      {"node_name = a\tb\n",
       "/etc/pasted.conf:1: key 'node_name' holds a control character (such as CR or a tab); "
       "write the value on one line, without them"},
      {"listen = localhost\n",
       "/etc/pasted.conf:1: key 'listen': invalid value 'localhost', expected "
       "HOST:PORT (e.g. 127.0.0.1:8077 or [::1]:8077)"},
      {"listen = 127.0.0.1:99999\n",
       "/etc/pasted.conf:1: key 'listen': invalid value '127.0.0.1:99999', "
       "expected a port from 0 to 65535"},
      {"data_dir = relative/dir\n",
       "/etc/pasted.conf:1: key 'data_dir': invalid value 'relative/dir', "
       "expected an absolute path"},
      {"public_url = example.org\n",
       "/etc/pasted.conf:1: key 'public_url': invalid value 'example.org', "
       "expected an http:// or https:// URL"},
      {"log_level = loud\n",
       "/etc/pasted.conf:1: key 'log_level': invalid value 'loud', expected "
       "one of error, warn, info, debug"},
      {"max_paste_bytes = 2G\n",
       "/etc/pasted.conf:1: key 'max_paste_bytes': invalid value '2G', "
       "expected a whole number from 1 to 1073741824 (K, M or G may follow)"},
  };
  for (const auto& c : kCases) {
    INFO(c.text);
    Settings s = DefaultSettings();
    Status st = ApplyConfigText(s, c.text, "/etc/pasted.conf");
    CHECK(st.code() == Code::kInvalidArgument);
    CHECK(st.message() == c.message);
  }
}

}  // namespace
}  // namespace pastebin
