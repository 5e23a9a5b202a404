// GET /metrics, read by the Prometheus project's own text-format parser
// (python3-prometheus-client, run by Debian's /usr/bin/python3).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "tests/e2e/fixture.h"
#include "tests/support/page_cache.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

// Parses exposition text with prometheus_client and returns
// {"sample name{sorted labels}": value}.
json ParseWithPrometheus(E2e& e, const std::string& text) {
  WriteFile(e.dir / "metrics.txt", text);
  const char* kScript = R"py(
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = {}
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in family.samples:
        labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
        out["%s{%s}" % (s.name, labels)] = s.value
print(json.dumps(out))
)py";
  auto r = Run({"/usr/bin/python3", "-c", kScript, e.dir / "metrics.txt"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

TEST_CASE("metrics count requests, pastes and gc in Prometheus format") {
  if (Run({"/usr/bin/python3", "-c", "import prometheus_client"}).exit_code != 0) {
    SkipTest("python3-prometheus-client is not installed");
  }
  E2e e;
  auto put = e.Cli({"put"}, "12345");
  std::string link = E2e::LinkOf(put.out);
  REQUIRE(e.Cli({"get", link}).exit_code == 0);
  REQUIRE(e.Cli({"get", link}).exit_code == 0);
  REQUIRE(e.Cli({"get", "Zz9Zz9Z"}).exit_code == 3);
  REQUIRE(e.Cli({"gc"}).exit_code == 0);
  auto http = e.Http();
  REQUIRE(http.Get("/no/such/route")->status == 404);
  auto r = e.Admin().Get("/metrics");
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  json m = ParseWithPrometheus(e, r->body);
  CHECK(m["pasted_http_requests_total{route=create_paste,status=201}"] == 1);
  CHECK(m["pasted_http_requests_total{route=raw_paste,status=200}"] == 2);
  CHECK(m["pasted_http_requests_total{route=raw_paste,status=404}"] == 1);
  CHECK(m["pasted_http_requests_total{route=admin_gc,status=200}"] == 1);
  CHECK(m["pasted_http_requests_total{route=none,status=404}"] == 1);
  CHECK(m["pasted_http_request_duration_seconds_count{route=raw_paste}"] == 3);
  CHECK(m["pasted_http_request_duration_seconds_bucket{le=+Inf,route=raw_paste}"] == 3);
  CHECK(m["pasted_pastes_created_total{}"] == 1);
  CHECK(m["pasted_paste_bytes_created_total{}"] == 5);
  CHECK(m["pasted_gc_runs_total{}"] == 1);
  CHECK(m["pasted_commit_batches_total{}"] == 1);
  CHECK(m["pasted_commit_rows_total{}"] == 1);
  CHECK(m["pasted_commit_seconds_total{}"] > 0);
  CHECK(m["pasted_pastes_stored{}"] == 1);
  CHECK(m["pasted_paste_bytes_stored{}"] == 5);
  CHECK(m["pasted_paste_bytes_on_disk{}"] == 5);  // too short to compress
  CHECK(m["pasted_build_info{version=0.1.0}"] == 1);
  CHECK(m.contains("pasted_cache_hits_total{}"));
  CHECK(m.contains("pasted_cache_misses_total{}"));
  CHECK(m.contains("process_start_time_seconds{}"));
}

TEST_CASE("a paste not in the cache is read by the event loop when its pages are in memory",
          "[sqlite]") {
  E2e e({"--cache-bytes", "0"});
  std::string link = E2e::LinkOf(e.Cli({"put"}, "read me\n").out);
  for (int i = 0; i < 3; ++i) {
    auto got = e.Cli({"get", link});
    REQUIRE(got.exit_code == 0);
    CHECK(got.out == "read me\n");
  }
  CHECK(e.Cli({"get", "Zz9Zz9Z"}).exit_code == 3);
  std::string text = e.Admin().Get("/metrics")->body;
  auto counter = [&](const std::string& name) {
    auto at = text.find("\n" + name + " ");
    REQUIRE(at != std::string::npos);
    return std::stoll(text.substr(at + name.size() + 2));
  };
  // Just written, the paste's pages are in the page cache: no miss needs
  // a worker (each of the four went to the store, none was cached).
  CHECK(counter("pasted_cache_hits_total") == 0);
  CHECK(counter("pasted_cache_misses_total") == 4);
  CHECK(counter("pasted_cache_misses_without_waiting_total") == 4);
}

TEST_CASE("a paste on the disk is read by the event loop, the kernel reading its pages in",
          "[sqlite]") {
  E2e e({"--cache-bytes", "0"});
  std::string link = E2e::LinkOf(e.Cli({"put"}, "read me from the disk\n").out);
  // Stopped, the WAL is copied into pastes.db; started again, and the
  // file dropped from the page cache, the paste's pages are on the disk.
  REQUIRE(e.daemon.Stop() == 0);
  e.daemon.Start();
  if (!Evict(e.dir / "data/pastes.db")) SkipTest("the page cache keeps this file (tmpfs?)");
  auto got = e.Cli({"get", link});
  REQUIRE(got.exit_code == 0);
  CHECK(got.out == "read me from the disk\n");
  std::string text = e.Admin().Get("/metrics")->body;
  auto counter = [&](const std::string& name) {
    auto at = text.find("\n" + name + " ");
    REQUIRE(at != std::string::npos);
    return std::stoll(text.substr(at + name.size() + 2));
  };
  if (!IoUringAvailable()) {  // a reader waited for the disk instead
    CHECK(counter("pasted_store_loop_disk_reads_total") == 0);
    SkipTest("io_uring is not allowed here");
  }
  // The loop had the page read in and answered: no reader waited.
  CHECK(counter("pasted_store_loop_disk_lookups_total") == 1);
  CHECK(counter("pasted_store_loop_disk_reads_total") >= 1);
  CHECK(counter("pasted_cache_misses_total") == 1);
  CHECK(counter("pasted_cache_misses_without_waiting_total") == 1);
}

TEST_CASE("a PostgreSQL node counts the reads it asked together and in how many batches") {
  E2e e({"--cache-bytes", "0"});
  std::string link = E2e::LinkOf(e.Cli({"put"}, "read me\n").out);
  for (int i = 0; i < 3; ++i) REQUIRE(e.Cli({"get", link}).exit_code == 0);
  CHECK(e.Cli({"get", "Zz9Zz9Z"}).exit_code == 3);
  std::string text = e.Admin().Get("/metrics")->body;
  auto counter = [&](const std::string& name) -> std::optional<int64_t> {
    auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::stoll(text.substr(at + name.size() + 2));
  };
  if (!StoreUnderTest::Postgres()) {
    // SQLite reads each paste on its own: nothing batched to show.
    CHECK_FALSE(counter("pasted_store_read_batches_total"));
    CHECK_FALSE(counter("pasted_store_batched_reads_total"));
    return;
  }
  // Its loops ask the server: they read no pages of their own.
  CHECK_FALSE(counter("pasted_store_loop_disk_reads_total"));
  REQUIRE(counter("pasted_cache_misses_total") == 4);
  REQUIRE(counter("pasted_store_batched_reads_total") == 4);
  // One read at a time: each went alone.
  CHECK(counter("pasted_store_read_batches_total") == 4);
}

TEST_CASE("stored totals follow deletes and survive restarts") {
  E2e e;
  auto a = e.Cli({"put"}, "aaaa");
  REQUIRE(e.Cli({"put"}, "bb").exit_code == 0);
  REQUIRE(e.Cli({"delete", E2e::LinkOf(a.out)}).exit_code == 0);
  REQUIRE(e.daemon.Stop() == 0);
  e.daemon.Start();
  std::string text = e.Admin().Get("/metrics")->body;
  CHECK_THAT(text, Catch::Contains("\npasted_pastes_stored 1\n"));
  CHECK_THAT(text, Catch::Contains("\npasted_paste_bytes_stored 2\n"));
}

TEST_CASE("metrics are an admin route") {
  E2e e;
  auto r = e.Http().Get("/metrics", {{"X-Forwarded-For", "203.0.113.9"}});
  CHECK(r->status == 403);
}

}  // namespace
}  // namespace pastebin::testing
