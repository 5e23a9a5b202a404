// The HTTP API: every route in one table (HandlerGroups::Routes in
// routes.cc), so one look shows the whole API, each row bound to a member
// of the handler group that serves it. The groups are built once at
// start-up, each with only what it uses; the front desk
// (front/front_desk.h) serves the table. docs/ARCHITECTURE.md shows a
// request's way through them.
#ifndef PASTEBIN_DAEMON_ROUTES_H_
#define PASTEBIN_DAEMON_ROUTES_H_

#include <vector>

#include "daemon/api/admin_api.h"
#include "daemon/api/health_api.h"
#include "daemon/api/paste_api.h"
#include "daemon/api/stats_api.h"
#include "daemon/front/links.h"
#include "daemon/front/paste_answer.h"
#include "daemon/front/paste_reading.h"
#include "daemon/front/route.h"
#include "daemon/web/compat_handlers.h"
#include "daemon/web/page_routes.h"
#include "daemon/web/pastebin_com_api.h"

namespace pastebin {

// What the handler groups are built from; none owned, all must outlive
// the groups.
struct HandlerDeps {
  PasteService& pastes;
  const Links& links;
  Freshness freshness;  // max_age, as of the clock
  VisitRollup& rollup;  // statistics: the access log, rolled up
  StatsStore& stats;
  AdminAccess& admin;
  const Metrics& metrics;  // the front desk's, for /metrics
  Readiness& readiness;
  int64_t start_time;   // the process's, seconds since the epoch
  MemoryBudget& pages;  // what pages draw on while made (the answer budget)
};

// Every handler group, each built with only what it uses, and the route
// table bound to them.
class HandlerGroups {
 public:
  explicit HandlerGroups(const HandlerDeps& deps);

  // Every route, in the order the router tries them (specific paths
  // before "/{link}"), bound to these groups: they must outlive the rows.
  std::vector<Route> Routes();

 private:
  PasteReading reading_;
  PasteApi pastes_;
  StatsApi stats_;
  AdminApi admin_;
  HealthApi health_;
  WebPages web_;
  CompatHandlers compat_;
  PastebinComApi pastebin_com_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_ROUTES_H_
