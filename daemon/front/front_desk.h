// FrontDesk: where every HTTP request enters pasted, and the only
// HttpHandler. It matches a request against the route table once, as soon
// as its head is in (Admit), and keeps the match in the request; works out
// the client's address once (proxies weighed); sizes the body its route
// takes; asks the write gate before any handler of a creating route runs,
// and the miss gate before a lookup (a 404 there costs the client one);
// tells the server's refusals and its own (no such route, method not
// allowed, too many pastes) in the route's dialect; and after every answer
// writes the access log line and the metrics. Handlers see the request and
// their group's collaborators, nothing above.
#ifndef PASTEBIN_DAEMON_FRONT_FRONT_DESK_H_
#define PASTEBIN_DAEMON_FRONT_FRONT_DESK_H_

#include <cstddef>
#include <string>
#include <vector>

#include "common/clock.h"
#include "daemon/base/client_address.h"
#include "daemon/front/client_limit.h"
#include "daemon/front/route.h"
#include "daemon/http/http_server.h"
#include "daemon/http/router.h"
#include "daemon/metrics.h"
#include "daemon/stats/access_log.h"

namespace pastebin {

// What bounds the bodies routes take (BodyKind → bytes).
struct FrontDeskLimits {
  size_t max_paste_bytes = 10 << 20;
  size_t max_upload_memory = 64 << 20;
};

class FrontDesk : public HttpHandler {
 public:
  // Serves routes (the table, routes.h). metrics gets the routes' names.
  // The limits, log, metrics and clock must outlive the desk. Thread-safe.
  FrontDesk(std::vector<Route> routes, FrontDeskLimits limits, TrustedProxies proxies,
            ClientLimit& writes, ClientLimit& misses, AccessLog& log, Metrics& metrics,
            const Clock& clock);

  size_t Admit(HttpRequest& req) override;
  bool MayBlock(const HttpRequest& req) override;
  void Handle(HttpRequest& req, HttpResponse& res) override;
  void Refuse(const HttpRequest& req, int status, const std::string& message,
              HttpResponse& res) override;
  void Answered(const HttpRequest& req, const HttpResponse& res) override;

  const std::vector<Route>& routes() const { return routes_; }
  const Router& router() const { return router_; }

  // The header lines the server adds to every answer (see
  // HttpServerOptions::common_headers): no content sniffing, ever.
  static const char kCommonHeaders[];

 private:
  // The largest body route takes, for a request of this Content-Type.
  size_t BodyLimit(const Route& route, const HttpRequest& req) const;
  // The route the admitted req matched, or nullptr.
  const Route* RouteOf(const HttpRequest& req) const;

  std::vector<Route> routes_;
  Router router_;
  FrontDeskLimits limits_;
  TrustedProxies proxies_;
  ClientLimit& writes_;
  ClientLimit& misses_;
  AccessLog& log_;
  Metrics& metrics_;
  const Clock& clock_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_FRONT_FRONT_DESK_H_
