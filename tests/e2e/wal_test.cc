// SQLite's write-ahead log stays within wal_limit however long writes keep
// coming. Regression: every checkpoint was a no-op (the checkpointer's
// connection had never read the database, so it did not know the WAL), and
// under sustained writes pastes.db-wal grew ~65 MB/s (1.3 GB in 20 s) while
// pastes.db stayed 4 KiB.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

TEST_CASE("the WAL stays under wal_limit while writes keep coming") {
  TempDir dir;
  constexpr int64_t kLimit = 1 << 20;
  Daemon daemon(dir / "data", {"--wal-limit", "1M"});
  daemon.Start();
  const std::string wal = dir / "data/pastes.db-wal";
  const std::string db = dir / "data/pastes.db";
  std::atomic<bool> writing{true};
  std::atomic<int64_t> peak{0};
  std::thread watcher([&] {
    while (writing) {
      peak = std::max<int64_t>(peak, FileSize(wal));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  // 8 writers, 6000 pastes of 1 KiB that does not compress: each commit appends its pages to the
  // WAL, so it would grow far past the limit without checkpoints.
  constexpr int kWriters = 8, kEach = 750;
  std::vector<std::vector<std::string>> links(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      httplib::Client c(daemon.url());
      for (int i = 0; i < kEach; ++i) {
        // Hex of a simple generator: text that does not compress.
        std::string body = std::to_string(w) + ":" + std::to_string(i) + ":";
        uint64_t x = 0x9E3779B97F4A7C15ULL * (w * kEach + i + 1);
        while (body.size() < 1024) {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17;
          body += "0123456789abcdef"[x & 15];
        }
        auto r = c.Post("/", body, "text/plain");
        if (r && r->status == 201) links[w].push_back(r->body);
      }
    });
  }
  for (auto& t : writers) t.join();
  writing = false;
  watcher.join();
  size_t written = 0;
  for (const auto& l : links) written += l.size();
  REQUIRE(written == kWriters * kEach);
  INFO("peak WAL " << peak << " bytes, database " << FileSize(db) << " bytes");
  CHECK(peak > 0);
  CHECK(peak <= kLimit);
  // The pastes went on into the database file itself.
  CHECK(FileSize(db) > 2 * kLimit);
  // Every paste reads back, after the WAL was started over many times.
  httplib::Client c(daemon.url());
  for (int w = 0; w < kWriters; ++w) {
    std::string url = links[w].back();
    while (!url.empty() && url.back() == '\n') url.pop_back();
    auto r = c.Get(url.substr(url.rfind('/')));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.rfind(std::to_string(w) + ":" + std::to_string(kEach - 1) + ":", 0) == 0);
  }
  // Stopped, the WAL is empty.
  CHECK(daemon.Stop() == 0);
  CHECK(FileSize(wal) == 0);
}

}  // namespace
}  // namespace pastebin::testing
