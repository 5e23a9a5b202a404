#include "daemon/front/front_desk.h"

#include <algorithm>

#include "daemon/stats/log_line.h"

namespace pastebin {
namespace {

// JSON can spell one byte of paste as up to six ("\u0001"), so the HTTP
// body limit leaves room for that; the paste itself is then held to
// max_paste_bytes exactly.
constexpr size_t kJsonExpansion = 6;
constexpr size_t kJsonOverhead = 64 * 1024;
// Bodies of requests that carry a URL or nothing much, and of requests no
// route takes (read, to answer 404 or 405 rather than 413).
constexpr size_t kSmallBody = 64 * 1024;

std::vector<RoutePattern> PatternsOf(const std::vector<Route>& routes) {
  std::vector<RoutePattern> out;
  for (const Route& r : routes) out.push_back({r.method, r.path});
  return out;
}

std::vector<std::string> NamesOf(const std::vector<Route>& routes) {
  std::vector<std::string> out;
  for (const Route& r : routes) out.push_back(r.name);
  return out;
}

}  // namespace

const char FrontDesk::kCommonHeaders[] = "X-Content-Type-Options: nosniff\r\n";

FrontDesk::FrontDesk(std::vector<Route> routes, FrontDeskLimits limits, TrustedProxies proxies,
                     ClientLimit& writes, ClientLimit& misses, AccessLog& log, Metrics& metrics,
                     const Clock& clock)
    : routes_(std::move(routes)),
      router_(PatternsOf(routes_)),
      limits_(limits),
      proxies_(std::move(proxies)),
      writes_(writes),
      misses_(misses),
      log_(log),
      metrics_(metrics),
      clock_(clock) {
  metrics_.SetRoutes(NamesOf(routes_));
}

const Route* FrontDesk::RouteOf(const HttpRequest& req) const {
  if (req.route < 0 || req.route >= static_cast<int>(routes_.size())) return nullptr;
  return &routes_[req.route];
}

size_t FrontDesk::Admit(HttpRequest& req) {
  req.route = router_.Match(req.method, req.path, &req.path_params);
  req.client = ClientAddress(req.remote_addr, req.HeaderList("X-Forwarded-For"), proxies_);
  const Route* route = RouteOf(req);
  return route ? BodyLimit(*route, req) : kSmallBody;
}

size_t FrontDesk::BodyLimit(const Route& route, const HttpRequest& req) const {
  size_t paste = limits_.max_paste_bytes;
  size_t memory = limits_.max_upload_memory;
  switch (route.body) {
    case BodyKind::kNone:
      return 0;
    case BodyKind::kSmall:
      return kSmallBody;
    case BodyKind::kRaw:
      return paste;
    case BodyKind::kJson:
      // JSON spells one byte of paste as up to six ("\u0001").
      return std::min(paste * kJsonExpansion + kJsonOverhead, memory);
    case BodyKind::kUpload: {
      std::string_view type = req.Header("Content-Type");
      if (type.compare(0, 19, "multipart/form-data") == 0) return paste + kJsonOverhead;
      // A url-encoded form spells a byte as up to three ("%0A").
      if (type.compare(0, 33, "application/x-www-form-urlencoded") == 0) {
        return std::min(paste * 3 + kJsonOverhead, memory);
      }
      return paste;
    }
  }
  return 0;
}

bool FrontDesk::MayBlock(const HttpRequest& req) {
  const Route* route = RouteOf(req);
  return route && route->may_block && route->may_block(req);
}

void FrontDesk::Handle(HttpRequest& req, HttpResponse& res) {
  const Route* route = RouteOf(req);
  if (!route) {
    std::string allowed = router_.Allowed(req.path);
    if (allowed.empty()) {
      // /X/ and /raw/X/ (a slash a browser or a person added): where they
      // meant, as the CLI reads them too.
      if ((req.method == "GET" || req.method == "HEAD") && req.path.size() > 1 &&
          req.path.back() == '/') {
        std::vector<std::string> params;
        std::string bare = req.path.substr(0, req.path.size() - 1);
        if (router_.Match("GET", bare, &params) >= 0) {
          std::string target = req.target.substr(0, req.target.find('?'));
          while (target.size() > 1 && target.back() == '/') target.pop_back();
          if (!req.query.empty()) target += "?" + req.query;
          res.status = 301;
          res.SetHeader("Location", target);
          res.SetContent("Moved to " + target + "\n", "text/plain; charset=utf-8");
          return;
        }
      }
      // A visitor gets a page about it; an API client the API's pointer.
      return SendError(req, res,
                       NotFound(AcceptsHtml(req) ? "there is no page at " + req.path
                                                 : "no such route: " + req.method + " " + req.path +
                                                       " (see pasted(8) for the API)"));
    }
    SendErrorAs(req, res, 405, req.method + " is not allowed on " + req.path + "; use " + allowed,
                Dialect::kJson);
    res.SetHeader("Allow", allowed);
    return;
  }
  if (route->gate != Gate::kNone && !req.gate_passed) {
    int64_t wait = 0;
    Status admitted = route->gate == Gate::kCreates ? writes_.Admit(req.client, &wait)
                                                    : misses_.Check(req.client, &wait);
    if (!admitted.ok()) {
      res.SetHeader("Retry-After", std::to_string(wait));
      return SendError(req, res, admitted, route->dialect);
    }
    req.gate_passed = true;  // a second run (on a reader) is the same request
  }
  route->handle(req, res);
  // A lookup that found nothing costs a miss (once it is answered).
  if (route->gate == Gate::kLooksUp && res.status == 404 && !res.would_block && !res.deferred) {
    misses_.Spend(req.client);
  }
}

void FrontDesk::Refuse(const HttpRequest& req, int status, const std::string& message,
                       HttpResponse& res) {
  const Route* route = RouteOf(req);
  SendErrorAs(req, res, status, message, route ? route->dialect : Dialect::kJson);
}

void FrontDesk::Answered(const HttpRequest& req, const HttpResponse& res) {
  double seconds =
      req.received == std::chrono::steady_clock::time_point()
          ? 0.0
          : std::chrono::duration<double>(std::chrono::steady_clock::now() - req.received).count();
  metrics_.ObserveRequest(req.route, res.status, seconds);
  // A request refused before its head was in was never admitted.
  std::string client =
      req.admitted ? req.client
                   : ClientAddress(req.remote_addr, req.HeaderList("X-Forwarded-For"), proxies_);
  RequestLogRecord r;
  r.remote_addr = client;
  r.time = clock_.NowSeconds();
  r.method = req.method;
  r.target = req.target;
  r.protocol = req.minor_version == 0 ? "HTTP/1.0" : "HTTP/1.1";
  r.status = res.status;
  r.bytes = static_cast<int64_t>(res.BodySize());
  r.referer = req.Header("Referer");
  r.user_agent = req.Header("User-Agent");
  log_.Append(FormatLogLine(r));
}

}  // namespace pastebin
