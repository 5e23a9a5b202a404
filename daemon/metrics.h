// What GET /metrics shows, in the Prometheus text format: requests by route
// and status with a latency histogram (Metrics, kept by the front desk),
// the paste service's event counters (PasteCounters, kept by the service),
// and gauges read when asked. Updates are lock-free atomics, cheap enough
// for every request.
#ifndef PASTEBIN_DAEMON_METRICS_H_
#define PASTEBIN_DAEMON_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/store/metadata_store.h"

namespace pastebin {

// Group commit figures (see WriteBatcher).
struct CommitTotals {
  int64_t batches = 0;
  int64_t rows = 0;
  double seconds = 0;  // spent committing
};

// The paste service's events. Thread-safe.
struct PasteCounters {
  std::atomic<int64_t> pastes_created{0};
  std::atomic<int64_t> paste_bytes_created{0};
  std::atomic<int64_t> pastes_deleted{0};  // by their owners, or burned
  std::atomic<int64_t> pastes_expired{0};  // removed by gc
  std::atomic<int64_t> orphans_removed{0};
  std::atomic<int64_t> missing_bodies{0};  // rows removed: body gone
  std::atomic<int64_t> bytes_freed{0};
  std::atomic<int64_t> gc_runs{0};
  std::atomic<int64_t> cache_hits{0};
  std::atomic<int64_t> cache_misses{0};
  std::atomic<int64_t> misses_without_waiting{0};  // of them, read on an event loop
};

class Metrics {
 public:
  // route_names: one per route, by route index; requests that matched no
  // route are counted under "none".
  explicit Metrics(std::vector<std::string> route_names = {}) { SetRoutes(std::move(route_names)); }
  // Names the routes anew (the front desk, from its table), before any
  // request is observed: not thread-safe.
  void SetRoutes(std::vector<std::string> route_names);

  // Index of the "no route" series.
  int no_route() const { return static_cast<int>(routes_.size()) - 1; }

  // One answered request. Thread-safe.
  void ObserveRequest(int route, int status, double seconds);

  // The exposition text: these requests, the service's counters and the
  // gauges given (reads: the store's read batches, if it batches;
  // fetches: the pages its loops read in, if they do). start_time: process
  // start, seconds since epoch.
  std::string Render(const PasteCounters& counters, const StoredTotals& totals,
                     const CommitTotals& commits, const std::optional<ReadBatchTotals>& reads,
                     const std::optional<PageFetchTotals>& fetches, int64_t start_time,
                     const char* version) const;

  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  // Statuses counted by value; others are counted as "other".
  static constexpr std::array<int, 27> kStatuses = {200, 201, 204, 206, 301, 302, 303, 304, 307,
                                                    308, 400, 401, 403, 404, 405, 408, 409, 410,
                                                    411, 413, 414, 415, 416, 429, 500, 503, 507};

 private:
  struct Route {
    std::string name;
    std::array<std::atomic<int64_t>, kStatuses.size() + 1> by_status{};
    std::array<std::atomic<int64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<int64_t> micros_sum{0};
  };
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_METRICS_H_
