// AdminApi: the operator's routes besides statistics: gc now, and the
// Prometheus metrics, which need admin access (admin_access.h); and the
// challenge a client answers to prove it is an admin. JSON errors.
#ifndef PASTEBIN_DAEMON_API_ADMIN_API_H_
#define PASTEBIN_DAEMON_API_ADMIN_API_H_

#include <cstdint>

#include "daemon/api/admin_access.h"
#include "daemon/http/http_message.h"
#include "daemon/metrics.h"
#include "daemon/paste_service.h"

namespace pastebin {

class AdminApi {
 public:
  // None owned; all must outlive the group. start_time: the process's
  // start, seconds since the epoch.
  AdminApi(PasteService& pastes, AdminAccess& admin, const Metrics& metrics, int64_t start_time)
      : pastes_(pastes), admin_(admin), metrics_(metrics), start_time_(start_time) {}

  // POST /api/v1/admin/gc: deletes expired pastes and orphaned bodies now.
  void CollectGarbage(const HttpRequest& req, HttpResponse& res);
  // GET /api/v1/admin/challenge: {"nonce", "expires_in"} for a Pastebin-Admin
  // proof (common/admin_auth.h). Anyone may ask; a nonce is good once.
  void Challenge(const HttpRequest& req, HttpResponse& res);
  // GET /metrics: the Prometheus text format.
  void MetricsPage(const HttpRequest& req, HttpResponse& res);

 private:
  PasteService& pastes_;
  AdminAccess& admin_;
  const Metrics& metrics_;
  int64_t start_time_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_API_ADMIN_API_H_
