// Crash safety: SIGKILL in the middle of concurrent writes loses nothing
// that was acknowledged, and gc tidies what the crash left.
#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "common/clock.h"
#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

int64_t StoredPastes(E2e& e) {
  std::string text = e.Admin().Get("/metrics")->body;
  size_t at = text.find("\npasted_pastes_stored ");
  return std::stoll(text.substr(at + 22));
}

TEST_CASE("SIGKILL during 8 concurrent writers loses no acknowledged paste") {
  TempDir clock_dir;
  int64_t now = SystemClock().NowSeconds();
  WriteFile(clock_dir / "now", std::to_string(now));
  // Bodies of up to ~3 KB with inline_max_bytes 1K: both write paths, a
  // body in the database's commit and a file synced before its row.
  E2e e({"--inline-max-bytes", "1K"}, {{"PASTED_FAKE_CLOCK_FILE", clock_dir / "now"}});
  std::string url = e.daemon.url();

  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> failures_before_kill{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(static_cast<unsigned>(w));
      httplib::Client c(url);
      c.set_read_timeout(5, 0);
      for (int n = 0; !stop; ++n) {
        std::string body = "writer " + std::to_string(w) + " paste " + std::to_string(n) + "\n";
        for (size_t i = rng() % 3000; i > 0; --i)
          body.push_back(static_cast<char>('a' + rng() % 26));
        auto r = c.Post("/api/v1/paste", json{{"paste_contents", body}}.dump(), "application/json");
        if (r && r->status == 201) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.emplace_back(json::parse(r->body)["shortlink"], body);
        } else if (!killed) {
          failures_before_kill++;
        }
      }
    });
  }
  REQUIRE(WaitUntil([&] {
    std::lock_guard<std::mutex> lock(mu);
    return acknowledged.size() >= 200;
  }));
  killed = true;
  e.daemon.Kill();  // mid-write: requests are in every stage of the write path
  stop = true;
  for (auto& t : writers) t.join();
  CHECK(failures_before_kill == 0);

  e.daemon.Start();
  auto http = e.Http();
  for (const auto& [link, body] : acknowledged) {
    auto r = http.Get("/" + link);
    INFO(link);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->body == body);
  }

  // Files written for requests that never got their 201 are orphans; an
  // hour later gc removes them, and then bodies and rows match one to one.
  WriteFile(clock_dir / "now", std::to_string(now + 2 * 3600));
  REQUIRE(e.Cli({"gc"}).exit_code == 0);
  int64_t rows = StoredPastes(e);
  CHECK(rows >= static_cast<int64_t>(acknowledged.size()));
  std::vector<PasteRow> all = PasteRows(e.dir / "data");
  size_t file_rows = 0, inline_rows = 0;
  for (const PasteRow& r : all) (r.paste_path.empty() ? inline_rows : file_rows)++;
  CHECK(file_rows > 0);
  CHECK(inline_rows > 0);
  CHECK(BodyFiles(e.dir / "data").size() == file_rows);
  CHECK(StoredBodies(e.dir / "data") == all.size());
}

}  // namespace
}  // namespace pastebin::testing
