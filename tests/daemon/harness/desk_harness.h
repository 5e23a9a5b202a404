// DeskHarness: pasted's front desk, handler groups and route table built
// in-process on fakes (memory stores, a fake clock, a temp access log),
// and a Serve() that runs a request through them the way the HTTP server
// does — Admit, Handle on the event loop or a worker as the route says,
// again on a reader when it asks, a deferred answer awaited, Answered —
// without a socket. Tests of handlers, the error renderer, the write gate
// and the links use it (ninja's way: the library, not the binary).
#ifndef PASTEBIN_TESTS_DAEMON_HARNESS_DESK_HARNESS_H_
#define PASTEBIN_TESTS_DAEMON_HARNESS_DESK_HARNESS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "daemon/api/admin_access.h"
#include "daemon/api/readiness.h"
#include "daemon/front/client_limit.h"
#include "daemon/front/front_desk.h"
#include "daemon/front/links.h"
#include "daemon/metrics.h"
#include "daemon/paste_service.h"
#include "daemon/routes.h"
#include "daemon/stats/access_log.h"
#include "daemon/stats/visit_rollup.h"
#include "tests/daemon/harness/memory_stores.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace testing {

constexpr int64_t kHarnessNow = 1790000000;  // 2026-09-20
constexpr char kHarnessAdminToken[] = "harness-admin-token";

struct DeskOptions {
  PasteLimits limits;
  int64_t rate_limit = 0;  // per minute; 0: none
  int64_t rate_limit_burst = 1;
  int64_t miss_limit = 0;  // per minute; 0: none
  int64_t miss_limit_burst = 1;
  std::string public_url;
  std::string trusted_proxies;
  int64_t max_age = 3600;
  // The metadata store answers misses later from a thread of its own (as
  // PostgreSQL's does), and the loop's requests wait for them deferred.
  bool fetch_later = false;
};

class DeskHarness {
 public:
  explicit DeskHarness(DeskOptions options = {});

  // A request as the parser would hand it over: target split into path
  // (percent-decoded) and query, Host paste.test, from 192.0.2.1.
  static HttpRequest Request(std::string method, std::string target,
                             std::vector<std::pair<std::string, std::string>> headers = {},
                             std::string body = "");
  // Runs req through the front desk as the HTTP server does.
  HttpResponse Serve(HttpRequest req);
  // A paste stored through the service, its shortlink.
  std::string Put(const std::string& contents, PasteOptions options = {});
  // The access log as written so far.
  std::string AccessLogText();

  FakeClock clock{kHarnessNow};
  TempDir dir;
  MemoryBudget answers{64 << 20};  // the server's answer budget
  MemoryMetadataStore metadata;
  MemoryStatsStore stats;
  PasteService pastes;
  std::unique_ptr<AccessLog> log;
  VisitRollup rollup;
  AdminAccess admin;
  Metrics metrics;
  ClientLimit writes;
  ClientLimit misses;
  Links links;
  Readiness readiness;
  HandlerGroups groups;
  FrontDesk desk;
};

// The header's value in res, "" if none.
std::string HeaderOf(const HttpResponse& res, const std::string& name);

}  // namespace testing
}  // namespace pastebin

#endif  // PASTEBIN_TESTS_DAEMON_HARNESS_DESK_HARNESS_H_
