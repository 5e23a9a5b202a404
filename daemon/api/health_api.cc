#include "daemon/api/health_api.h"

#include "common/version.h"
#include "common/wire.h"
#include "daemon/front/answer.h"

namespace pastebin {

void HealthApi::Healthz(const HttpRequest&, HttpResponse& res) {
  SendJson(res, 200, R"({"status":"ok"})");
}

void HealthApi::Readyz(const HttpRequest& req, HttpResponse& res) {
  Status s = readiness_.Check();
  if (!s.ok()) {
    // The store's words carry no paths: sent as they are.
    res.SetHeader("Retry-After", "5");
    return SendErrorAs(req, res, 503, "not ready: " + s.message(), Dialect::kJson);
  }
  SendJson(res, 200, R"({"status":"ready"})");
}

void HealthApi::Info(const HttpRequest&, HttpResponse& res) {
  ServerInfo info{Version(), limits_.max_paste_bytes, limits_.default_expiry_minutes,
                  limits_.max_expiry_minutes};
  SendJson(res, 200, ToJson(info));
}

}  // namespace pastebin
