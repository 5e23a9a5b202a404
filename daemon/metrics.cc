#include "daemon/metrics.h"

#include <cstdio>

namespace pastebin {
namespace {

void Header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += " ";
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += " ";
  out += type;
  out += "\n";
}

void Sample(std::string& out, const std::string& name, int64_t value) {
  out += name + " " + std::to_string(value) + "\n";
}

std::string Seconds(double s) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%.6f", s);
  return buf;
}

std::string Bound(double b) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%g", b);
  return buf;
}

}  // namespace

void Metrics::SetRoutes(std::vector<std::string> route_names) {
  routes_.clear();
  route_names.push_back("none");
  for (auto& name : route_names) {
    auto r = std::make_unique<Route>();
    r->name = std::move(name);
    routes_.push_back(std::move(r));
  }
}

void Metrics::ObserveRequest(int route, int status, double seconds) {
  if (route < 0 || route >= static_cast<int>(routes_.size())) route = no_route();
  Route& r = *routes_[route];
  size_t s = 0;
  while (s < kStatuses.size() && kStatuses[s] != status) ++s;
  r.by_status[s].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  r.buckets[b].fetch_add(1, std::memory_order_relaxed);
  r.micros_sum.fetch_add(static_cast<int64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::Render(const PasteCounters& c, const StoredTotals& totals,
                            const CommitTotals& commits,
                            const std::optional<ReadBatchTotals>& reads,
                            const std::optional<PageFetchTotals>& fetches, int64_t start_time,
                            const char* version) const {
  std::string out;
  out.reserve(8192);
  Header(out, "pasted_http_requests_total", "counter",
         "HTTP requests answered, by route and status.");
  for (const auto& r : routes_) {
    for (size_t s = 0; s <= kStatuses.size(); ++s) {
      int64_t n = r->by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::string status = s < kStatuses.size() ? std::to_string(kStatuses[s]) : "other";
      Sample(out, "pasted_http_requests_total{route=\"" + r->name + "\",status=\"" + status + "\"}",
             n);
    }
  }
  Header(out, "pasted_http_request_duration_seconds", "histogram",
         "Time from routing a request to its answer being written.");
  for (const auto& r : routes_) {
    int64_t count = 0;
    for (const auto& b : r->buckets) count += b.load(std::memory_order_relaxed);
    if (count == 0) continue;
    std::string label = "{route=\"" + r->name + "\"";
    int64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += r->buckets[b].load(std::memory_order_relaxed);
      std::string le = b < kBuckets.size() ? Bound(kBuckets[b]) : "+Inf";
      Sample(out, "pasted_http_request_duration_seconds_bucket" + label + ",le=\"" + le + "\"}",
             cumulative);
    }
    out += "pasted_http_request_duration_seconds_sum" + label + "} " +
           Seconds(r->micros_sum.load(std::memory_order_relaxed) / 1e6) + "\n";
    Sample(out, "pasted_http_request_duration_seconds_count" + label + "}", cumulative);
  }
  struct Counter {
    const char* name;
    const char* help;
    const std::atomic<int64_t>& value;
  };
  const Counter counters[] = {
      {"pasted_pastes_created_total", "Pastes stored.", c.pastes_created},
      {"pasted_paste_bytes_created_total", "Bytes of pastes stored.", c.paste_bytes_created},
      {"pasted_pastes_deleted_total", "Pastes deleted by their owners.", c.pastes_deleted},
      {"pasted_pastes_expired_total", "Expired pastes deleted by gc.", c.pastes_expired},
      {"pasted_orphans_removed_total", "Bodies without a paste removed by gc.", c.orphans_removed},
      {"pasted_missing_bodies_total",
       "Pastes whose body was gone (lost to a crash or by hand); their rows were removed.",
       c.missing_bodies},
      {"pasted_bytes_freed_total", "Bytes of bodies removed by gc.", c.bytes_freed},
      {"pasted_gc_runs_total", "Completed gc runs.", c.gc_runs},
      {"pasted_cache_hits_total", "Paste reads served from the cache.", c.cache_hits},
      {"pasted_cache_misses_total", "Paste reads that went to the stores.", c.cache_misses},
      {"pasted_cache_misses_without_waiting_total",
       "Of those, reads an event loop answered itself, with no thread waiting: their pages in "
       "memory or read in by the loop (SQLite), or asked by the loop (PostgreSQL).",
       c.misses_without_waiting},
  };
  for (const auto& counter : counters) {
    Header(out, counter.name, "counter", counter.help);
    Sample(out, counter.name, counter.value.load(std::memory_order_relaxed));
  }
  Header(out, "pasted_pastes_stored", "gauge",
         "Pastes in the store, expired ones included until gc removes them.");
  Sample(out, "pasted_pastes_stored", totals.pastes);
  Header(out, "pasted_paste_bytes_stored", "gauge", "Bytes of those pastes.");
  Sample(out, "pasted_paste_bytes_stored", totals.bytes);
  Header(out, "pasted_paste_bytes_on_disk", "gauge",
         "Bytes those pastes take as stored (compressed where that saved space).");
  Sample(out, "pasted_paste_bytes_on_disk", totals.stored_bytes);
  Header(out, "pasted_commit_batches_total", "counter",
         "Group commits: one synced transaction each.");
  Sample(out, "pasted_commit_batches_total", commits.batches);
  Header(out, "pasted_commit_rows_total", "counter", "Pastes committed in them.");
  Sample(out, "pasted_commit_rows_total", commits.rows);
  Header(out, "pasted_commit_seconds_total", "counter",
         "Time group commits spent: transactions and their WAL flushes, every committing thread's "
         "summed.");
  out += "pasted_commit_seconds_total " + Seconds(commits.seconds) + "\n";
  if (reads) {
    Header(out, "pasted_store_read_batches_total", "counter",
           "Batches of reads of pastes missing from the cache: lookups waiting together are "
           "asked in one query (on a replica, those it lacks in one more on the primary).");
    Sample(out, "pasted_store_read_batches_total", reads->batches);
    Header(out, "pasted_store_batched_reads_total", "counter", "Lookups those queries answered.");
    Sample(out, "pasted_store_batched_reads_total", reads->reads);
  }
  if (fetches) {
    Header(out, "pasted_store_loop_disk_reads_total", "counter",
           "Pages an event loop had the kernel read in from the disk (io_uring) for lookups it "
           "kept meanwhile, instead of a reader thread waiting for them.");
    Sample(out, "pasted_store_loop_disk_reads_total", fetches->pages);
    Header(out, "pasted_store_loop_disk_lookups_total", "counter",
           "Lookups answered on their loop once those pages were in.");
    Sample(out, "pasted_store_loop_disk_lookups_total", fetches->lookups);
  }
  Header(out, "process_start_time_seconds", "gauge",
         "Start time of the process since the Unix epoch, in seconds.");
  Sample(out, "process_start_time_seconds", start_time);
  Header(out, "pasted_build_info", "gauge", "The running version.");
  Sample(out, std::string("pasted_build_info{version=\"") + version + "\"}", 1);
  return out;
}

}  // namespace pastebin
