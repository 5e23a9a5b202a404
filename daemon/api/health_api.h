// HealthApi: what load balancers, monitors and clients ask of the server
// itself: liveness (/healthz), readiness (/readyz) and the public limits
// (/api/v1/info). JSON, never admin.
#ifndef PASTEBIN_DAEMON_API_HEALTH_API_H_
#define PASTEBIN_DAEMON_API_HEALTH_API_H_

#include "daemon/api/readiness.h"
#include "daemon/http/http_message.h"
#include "daemon/paste_service.h"

namespace pastebin {

class HealthApi {
 public:
  // Neither owned; both must outlive the group.
  HealthApi(Readiness& readiness, const PasteLimits& limits)
      : readiness_(readiness), limits_(limits) {}

  // GET /healthz: 200 while the process is up and its loops answer.
  void Healthz(const HttpRequest& req, HttpResponse& res);
  // GET /readyz: 200 when a paste could be stored now, else 503 saying why.
  void Readyz(const HttpRequest& req, HttpResponse& res);
  // GET /api/v1/info: the version, the largest paste, the default and
  // largest expiry — the limits every create path applies.
  void Info(const HttpRequest& req, HttpResponse& res);

 private:
  Readiness& readiness_;
  const PasteLimits& limits_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_API_HEALTH_API_H_
