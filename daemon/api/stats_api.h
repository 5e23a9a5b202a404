// StatsApi: monthly visits, counted up to the moment of asking (the access
// log is rolled up first): every paste's for the operator (admin), one
// paste's for whoever holds its delete token. JSON errors.
#ifndef PASTEBIN_DAEMON_API_STATS_API_H_
#define PASTEBIN_DAEMON_API_STATS_API_H_

#include "daemon/api/admin_access.h"
#include "daemon/http/http_message.h"
#include "daemon/paste_service.h"
#include "daemon/stats/visit_rollup.h"
#include "daemon/store/stats_store.h"

namespace pastebin {

class StatsApi {
 public:
  // None owned; all must outlive the group.
  StatsApi(PasteService& pastes, VisitRollup& rollup, StatsStore& stats, AdminAccess& admin)
      : pastes_(pastes), rollup_(rollup), stats_(stats), admin_(admin) {}

  // GET /api/v1/admin/stats[?month=YYYY-MM[&top=N]] (admin): every month,
  // with what is stored, or one month's most visited pastes.
  void AdminStats(const HttpRequest& req, HttpResponse& res);
  // GET /api/v1/paste/stats?shortlink=X with X-Delete-Token: one paste's
  // visits by month.
  void PasteStats(const HttpRequest& req, HttpResponse& res);

 private:
  PasteService& pastes_;
  VisitRollup& rollup_;
  StatsStore& stats_;
  AdminAccess& admin_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_API_STATS_API_H_
