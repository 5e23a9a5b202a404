// Shared set-up for end-to-end tests: a temp dir, a real pasted on a free
// port with its data dir inside (its pastes there, or in PostgreSQL in the
// e2e-pg run: store_under_test.h), and the real pastebin binary pointed at
// it with HOME inside the temp dir.
#ifndef PASTEBIN_TESTS_E2E_FIXTURE_H_
#define PASTEBIN_TESTS_E2E_FIXTURE_H_

#include <httplib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/data_dir.h"
#include "tests/support/store_under_test.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {

// n hex digits and a newline, the same for the same seed: a body that
// does not compress (xorshift32).
inline std::string Noise(size_t n, int seed) {
  std::string s;
  uint32_t x = 2463534242u + static_cast<uint32_t>(seed);
  while (s.size() < n) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    s.push_back("0123456789abcdef"[x & 15]);
  }
  return s + "\n";
}

// The month (UTC) as statistics name it: "YYYY-MM".
inline std::string ThisMonth() {
  time_t now = time(nullptr);
  struct tm tm;
  gmtime_r(&now, &tm);
  char buf[16];
  strftime(buf, sizeof(buf), "%Y-%m", &tm);
  return buf;
}

struct E2e {
  explicit E2e(std::vector<std::string> daemon_flags = {},
               std::map<std::string, std::string> daemon_env = {})
      : daemon(dir / "data", store.With(std::move(daemon_flags)), std::move(daemon_env)) {
    daemon.Start();
  }

  // Runs build/bin/pastebin --server URL args... with stdin from input,
  // holding the daemon's admin token (for gc and stats) as its operator
  // would.
  RunResult Cli(std::vector<std::string> args, const std::string& input = "") {
    std::vector<std::string> argv = {BinaryPath("pastebin"), "--server", daemon.url()};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv, input,
               {{"HOME", dir / "home"}, {"PASTEBIN_ADMIN_TOKEN_FILE", dir / "data/admin.token"}});
  }

  httplib::Client Http() {
    httplib::Client c(daemon.url());
    c.set_read_timeout(10, 0);
    return c;
  }

  // Stores contents through the JSON API (the test stops if it cannot);
  // returns its link.
  std::string CreatePaste(const std::string& contents) {
    auto r = Http().Post("/api/v1/paste", nlohmann::json{{"paste_contents", contents}}.dump(),
                         "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 201);
    return nlohmann::json::parse(r->body)["shortlink"];
  }

  // A client that sends the daemon's admin token with every request.
  httplib::Client Admin() {
    httplib::Client c = Http();
    std::string token = ReadFile(dir / "data/admin.token");
    token.erase(token.find_last_not_of("\n") + 1);
    c.set_bearer_token_auth(token.c_str());
    return c;
  }

  // Bodies stored (short links have none), and the bytes they take as
  // stored, after compression: in the data dir, or in PostgreSQL.
  size_t StoredBodies() {
    if (!StoreUnderTest::Postgres()) return testing::StoredBodies(dir / "data");
    return std::stoul(store.Query("SELECT count(*) FROM pastes WHERE link_target IS NULL"));
  }
  int64_t StoredBytes() {
    if (!StoreUnderTest::Postgres()) return BodyBytes(dir / "data");
    return std::stoll(store.Query("SELECT coalesce(sum(stored_size), 0) FROM pastes"));
  }

  // The shortlink at the end of a URL line put printed.
  static std::string LinkOf(const std::string& url_line) {
    std::string url = url_line;
    while (!url.empty() && url.back() == '\n') url.pop_back();
    return url.substr(url.rfind('/') + 1);
  }

  TempDir dir;
  StoreUnderTest store;  // SQLite, or a PostgreSQL database in the e2e-pg run
  Daemon daemon;
};

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_E2E_FIXTURE_H_
