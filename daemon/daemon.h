// Daemon: pasted's runtime state in one object, passed to the handlers:
// settings, the stores, the paste service and the HTTP server. main() opens
// it, binds, serves and stops it; tests do the same in-process.
#ifndef PASTEBIN_DAEMON_DAEMON_H_
#define PASTEBIN_DAEMON_DAEMON_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "daemon/admin_access.h"
#include "daemon/http/http_server.h"
#include "daemon/metrics.h"
#include "daemon/paste_service.h"
#include "daemon/rate_limiter.h"
#include "daemon/settings.h"
#include "daemon/stats/access_log.h"
#include "daemon/stats/visit_rollup.h"
#include "daemon/store/postgres/pg_eviction_listener.h"
#include "daemon/stores.h"
#include "daemon/tcp_paste_server.h"

namespace pastebin {

class Daemon : public HttpHandler {
 public:
  // Creates the data dir if missing (0700), takes its lock so no second
  // daemon can use it, opens the stores and the access log, rolls up what
  // the logs hold that was not counted yet, and registers the routes.
  // Errors name the path and what to do.
  static Result<std::unique_ptr<Daemon>> Open(const Settings& settings, const Clock& clock,
                                              Random& random);
  ~Daemon() override;

  // Binds the listen address (and tcp_listen, when set), unless Open did
  // already; returns the URL it serves on, which it also writes into the
  // lock file.
  Result<std::string> Bind();
  // Serves HTTP (and TCP pastes) until Stop(); blocks.
  void Serve();
  // Stops accepting and lets in-flight requests finish. Any thread.
  void Stop();

  // The main loop's chores, about once a second: write out the access log,
  // and roll it up every kRollupIntervalSeconds.
  void Tick();
  // SIGHUP: count what the current log holds, then reopen it (logrotate
  // has moved it away).
  void ReopenLogs();
  // After Serve() returned: write out and count the last requests.
  void FinishShutdown();

  static constexpr int64_t kRollupIntervalSeconds = 300;

  const Settings& settings() const { return settings_; }
  const Clock& clock() const { return clock_; }
  PasteService& pastes() { return *pastes_; }
  Metrics& metrics() { return *metrics_; }
  int64_t start_time() const { return start_time_; }
  StatsStore& stats() { return *stores_.stats; }
  VisitRollup& rollup() { return *rollup_; }

  // The client's address: the peer, or behind a trusted proxy the address
  // it forwarded (see ClientAddress).
  std::string ClientOf(const HttpRequest& req) const;
  // 0 when the client may create a paste now, else seconds to wait.
  int64_t TakeWriteToken(const HttpRequest& req) { return write_limiter_->Take(ClientOf(req)); }

  // OK when a paste could be stored now (see PasteService::CheckReady),
  // probed at most once a second; a change is logged. Thread-safe.
  Status Readiness();

  // Who may use the admin routes (admin_access.h).
  const AdminPolicy& admin_policy() const { return admin_policy_; }

  // The base that links are built on: public_url if set, else http:// and
  // the host the request addressed (absolute-form target or Host) when it
  // is a plausible host, else the listen address.
  std::string LinkBase(const HttpRequest& req) const;

  // "https" when serving TLS, else "http".
  std::string Scheme() const { return settings_.tls_cert.empty() ? "http" : "https"; }

  // HttpHandler: routing by the table in routes.cc, JSON errors, and per
  // answer one access log line and the metrics.
  bool MayBlock(HttpRequest& req) override;
  size_t BodyLimit(HttpRequest& req) override;
  void Handle(HttpRequest& req, HttpResponse& res) override;
  void Refuse(int status, const std::string& message, HttpResponse& res) override;
  // A browser (Accept: text/html) gets an HTML page for an error answer
  // instead of its JSON or text.
  void Present(const HttpRequest& req, HttpResponse& res) override;
  void Answered(const HttpRequest& req, const HttpResponse& res) override;

 private:
  Daemon(const Settings& settings, const Clock& clock, const HttpServerOptions& http)
      : settings_(settings), clock_(clock), http_(http, *this) {}
  void RollUpAndLog(const char* why);
  Result<std::string> BindListeners();
  // DATA_DIR/pasted.lock: the pid, and the URL once bound.
  void WriteLockFile(const std::string& url);
  // A paste that arrived over raw TCP: the line to answer with.
  std::string StoreFromTcp(const std::string& peer, const std::string& local, std::string contents);

  Settings settings_;
  const Clock& clock_;
  // Before the stores: destroyed after them, so answers the write path
  // still delivers at shutdown find their loops.
  HttpServer http_;
  int lock_fd_ = -1;
  int64_t last_rollup_ = 0;
  int bound_port_ = 0;
  std::string bound_url_;  // set when Open bound the listeners first
  int64_t tcp_max_connections_ = 0;
  AdminPolicy admin_policy_;
  int64_t start_time_ = 0;
  std::unique_ptr<Metrics> metrics_;
  TrustedProxies proxies_;
  std::unique_ptr<RateLimiter> write_limiter_;
  Stores stores_;  // before the service that uses them: destroyed after it
  std::unique_ptr<PasteService> pastes_;
  // store postgres: hears other nodes' deletes (destroyed before pastes_).
  std::unique_ptr<PgEvictionListener> evictions_;
  std::unique_ptr<AccessLog> access_log_;
  std::unique_ptr<VisitRollup> rollup_;
  std::unique_ptr<TcpPasteServer> tcp_;
  std::mutex ready_mu_;
  Status ready_;
  std::chrono::steady_clock::time_point ready_checked_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_DAEMON_H_
