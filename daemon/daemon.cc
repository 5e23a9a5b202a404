#include "daemon/daemon.h"

#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <limits>
#include <thread>

#include "common/strings.h"
#include "common/wire.h"
#include "daemon/base/fd_limit.h"
#include "daemon/base/log.h"
#include "daemon/base/systemd.h"
#include "daemon/public_error.h"
#include "daemon/routes.h"
#include "daemon/stats/log_line.h"
#include "daemon/store/content_dir.h"
#include "daemon/token.h"
#include "daemon/web/web_pages.h"

namespace pastebin {
namespace {

// JSON can spell one byte of paste as up to six ("\u0001"), so the HTTP
// body limit leaves room for that; the paste itself is then held to
// max_paste_bytes exactly.
constexpr size_t kJsonExpansion = 6;
constexpr size_t kJsonOverhead = 64 * 1024;
// Bodies of requests that carry a URL or nothing much.
constexpr size_t kSmallBody = 64 * 1024;

bool IsPlausibleHost(const std::string& host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string HostPort(const std::string& host, int port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// The admin token from admin_token, the first line of admin_token_file, or
// else DATA_DIR/admin.token (made on first start).
Result<std::string> AdminToken(const Settings& settings, Random& random) {
  if (!settings.admin_token.empty()) return settings.admin_token;
  if (settings.admin_token_file.empty()) {
    return LoadOrCreateTokenFile(settings.data_dir + "/admin.token", random);
  }
  std::ifstream in(settings.admin_token_file);
  std::string token;
  if (!in || !std::getline(in, token)) {
    return InvalidArgument("cannot read admin_token_file " + settings.admin_token_file +
                           "; check that it exists and pasted may read it");
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) {
    return InvalidArgument("admin_token_file " + settings.admin_token_file +
                           " is empty; put the token on its first line");
  }
  return token;
}

}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::Open(const Settings& settings, const Clock& clock,
                                             Random& random) {
  int64_t fd_limit = RaiseFileLimit();
  ConnectionCaps caps = PlanConnections(
      fd_limit, settings.threads, !settings.tcp_listen_host.empty(), settings.max_connections);
  if (settings.max_connections > 0 && caps.http + caps.tcp > caps.room) {
    LogWarn("max_connections " + std::to_string(settings.max_connections) +
            " is more than the file descriptor limit (" + std::to_string(fd_limit) +
            ") leaves room for (about " + std::to_string(caps.room) +
            "); raise the limit (LimitNOFILE=) or lower max_connections");
  }
  LogInfo("serving up to " + std::to_string(caps.http) + " connections" +
          (settings.max_connections > 0 ? ""
                                        : " (max_connections auto, from the file "
                                          "descriptor limit " +
                                              std::to_string(fd_limit) + ")"));
  HttpServerOptions http;
  http.workers = static_cast<size_t>(settings.threads);
  http.loops = std::max(1u, std::thread::hardware_concurrency());
  // One reader (with its own SQLite connection) per core: with more,
  // each wakes for one request instead of taking what queued meanwhile
  // (cold reads among 1 M pastes: 33-35k/s with 2 here, 31k with 4, 28k
  // with 8). On PostgreSQL too: the server's CPU, not the wait, bounds
  // cold reads (p50 among 100k: 1.2 ms with 1 a core, 1.7 with 4, 1.6
  // with 8).
  http.readers = http.loops;
  http.max_connections = static_cast<size_t>(caps.http);
  http.header_timeout_ms = static_cast<int>(settings.request_timeout * 1000);
  http.body_timeout_ms = static_cast<int>(settings.request_timeout * 1000);
  http.min_body_rate = settings.min_upload_rate;
  http.idle_timeout_ms = static_cast<int>(settings.keepalive_timeout * 1000);
  http.max_body_memory = static_cast<size_t>(settings.max_upload_memory);
  http.max_output_memory = static_cast<size_t>(settings.max_output_memory);
  std::unique_ptr<Daemon> d(new Daemon(settings, clock, http));
  d->tcp_max_connections_ = caps.tcp;
  d->start_time_ = clock.NowSeconds();
  std::vector<std::string> route_names;
  for (const Route& route : Routes()) route_names.push_back(route.name);
  d->metrics_ = std::make_unique<Metrics>(std::move(route_names));

  // An address in use (another pasted, or anything) is found before the
  // data dir, its database or its log are made: a failed start leaves
  // nothing behind. A Unix socket may live in the data dir: it waits.
  if (settings.listen_unix.empty()) {
    auto url = d->BindListeners();
    if (!url.ok()) return url.status();
    d->bound_url_ = *url;
  }

  const std::string& dir = settings.data_dir;
  // Its missing parents too (~/.local/share on a fresh account); a failure
  // there is told by MakePrivateDir below.
  size_t slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) MakePrivateDirs(dir.substr(0, slash));
  Status s = MakePrivateDir(dir);
  if (!s.ok()) return s;

  std::string lock_path = dir + "/pasted.lock";
  d->lock_fd_ = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (d->lock_fd_ < 0) {
    return Internal("cannot open " + lock_path + ": " + strerror(errno) +
                    "; check the data dir's permissions");
  }
  if (flock(d->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status(Code::kUnavailable, "another pasted is already using data dir " + dir +
                                          "; stop it or choose another --data-dir");
  }
  d->WriteLockFile("");

  if (!settings.tls_cert.empty()) {
    s = d->http_.EnableTls(settings.tls_cert, settings.tls_key);
    if (!s.ok()) return s;
  }

  std::string node = settings.node_name;
  if (node.empty()) {
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    node = host;
  }
  auto stores = settings.store == "postgres"
                    ? OpenPostgresStores({settings.postgres_url, settings.postgres_read_url, node})
                    : OpenStores(dir, random);
  if (!stores.ok()) return stores.status();
  d->stores_ = std::move(stores).value();

  auto proxies = TrustedProxies::Parse(settings.trusted_proxies);
  if (!proxies.ok()) return proxies.status();
  d->proxies_ = std::move(proxies).value();
  d->write_limiter_ =
      std::make_unique<RateLimiter>(settings.rate_limit, settings.rate_limit_burst, clock);

  auto token = AdminToken(settings, random);
  if (!token.ok()) return token.status();
  d->admin_policy_.token_hash = HashToken(*token);
  d->admin_policy_.loopback = settings.admin_loopback;
  d->admin_policy_.own_uid = geteuid();

  PasteLimits limits;
  limits.max_paste_bytes = settings.max_paste_bytes;
  limits.max_expiry_minutes = settings.max_expiry_minutes;
  limits.cache_bytes = static_cast<size_t>(settings.cache_bytes);
  // PostgreSQL keeps every body in its row.
  limits.inline_max_bytes = settings.store == "postgres" ? std::numeric_limits<int64_t>::max()
                                                         : settings.inline_max_bytes;
  // With a maximum, "never" is not on offer, so the default becomes it.
  limits.default_expiry_minutes = settings.default_expiry_minutes == 0
                                      ? settings.max_expiry_minutes
                                      : settings.default_expiry_minutes;
  d->pastes_ = std::make_unique<PasteService>(*d->stores_.metadata, *d->stores_.bodies, clock,
                                              random, limits, d->metrics_.get());
  if (settings.store == "postgres") {
    PasteService* pastes = d->pastes_.get();
    auto listener = PgEvictionListener::Start(
        settings.postgres_url, [pastes](std::string_view link) { pastes->Forget(link); },
        [pastes] { pastes->ForgetAll(); });
    if (!listener.ok()) return listener.status();
    d->evictions_ = std::move(listener).value();
  }
  // Data dirs from before storage v2 keep every body as a file: small ones
  // move into the database, once.
  auto moved = d->pastes_->MoveSmallBodiesInline();
  if (!moved.ok()) return moved.status();
  if (*moved > 0)
    LogInfo("moved " + std::to_string(*moved) + " small paste bodies into the database");

  std::string log_path = settings.access_log.empty() ? dir + "/access.log" : settings.access_log;
  auto access_log = AccessLog::Open(log_path, random);
  if (!access_log.ok()) return access_log.status();
  d->access_log_ = std::move(access_log).value();
  AccessLog* log = d->access_log_.get();
  d->rollup_ = std::make_unique<VisitRollup>(*d->stores_.stats, log_path, clock,
                                             [log] { return log->Flush(); });
  // Count what an earlier run left unread, in PATH or, rotated, PATH.1.
  d->RollUpAndLog("start-up");

  return d;
}

size_t Daemon::BodyLimit(HttpRequest& req) {
  std::string allowed;
  // Unknown routes read a small body, to answer 404 or 405 rather than 413.
  if (MatchRoute(req, &allowed) < 0) return kSmallBody;
  size_t paste = static_cast<size_t>(settings_.max_paste_bytes);
  size_t memory = static_cast<size_t>(settings_.max_upload_memory);
  switch (Routes()[req.route].body) {
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

bool Daemon::MayBlock(HttpRequest& req) {
  std::string allowed;
  if (MatchRoute(req, &allowed) < 0) return false;
  auto may_block = Routes()[req.route].may_block;
  return may_block && may_block(*this, req);
}

void Daemon::Handle(HttpRequest& req, HttpResponse& res) {
  res.SetHeader("X-Content-Type-Options", "nosniff");
  if (req.answer_later) {
    // Answers built later carry the same header.
    req.answer_later = [later = std::move(req.answer_later)](HttpRequest::BuildAnswer build) {
      later([build = std::move(build)](const HttpRequest& r, HttpResponse& res) {
        res.SetHeader("X-Content-Type-Options", "nosniff");
        build(r, res);
      });
    };
  }
  if (req.route < 0) {
    std::string allowed;
    MatchRoute(req, &allowed);
    if (allowed.empty()) {
      return SendError(res, NotFound("no such route: " + req.method + " " + req.path +
                                     " (see pasted(8) for the API)"));
    }
    SendError(res, Status(Code::kInvalidArgument,
                          req.method + " is not allowed on " + req.path + "; use " + allowed));
    res.status = 405;
    res.SetHeader("Allow", allowed);
    return;
  }
  Routes()[req.route].handle(*this, req, res);
}

void Daemon::Refuse(int status, const std::string& message, HttpResponse& res) {
  res.SetHeader("X-Content-Type-Options", "nosniff");
  // The server's own words: nothing internal to hide.
  SendJson(res, status, ErrorJson(Status(CodeFromHttpStatus(status), message)));
}

void Daemon::Present(const HttpRequest& req, HttpResponse& res) {
  if (res.status < 400 || !AcceptsHtml(req)) return;
  std::string type;
  for (const auto& [name, value] : res.headers) {
    if (EqualsIgnoreCase(name, "Content-Type")) type = value;
  }
  std::string message;
  if (type.rfind("application/json", 0) == 0) {
    message = ParseErrorJson(res.status, res.body).message();
  } else if (type.rfind("text/plain", 0) == 0) {
    message = res.body;
    if (message.rfind("error: ", 0) == 0) message.erase(0, 7);
    while (!message.empty() && message.back() == '\n') message.pop_back();
  } else {
    return;  // already a page, or something else on purpose
  }
  SetPageHeaders(res);
  res.SetContent(ErrorPage(res.status, message), "text/html; charset=utf-8");
}

void Daemon::Answered(const HttpRequest& req, const HttpResponse& res) {
  double seconds =
      req.received == std::chrono::steady_clock::time_point()
          ? 0.0
          : std::chrono::duration<double>(std::chrono::steady_clock::now() - req.received).count();
  metrics_->ObserveRequest(req.route, res.status, seconds);
  RequestLogRecord r;
  std::string client = ClientOf(req);
  r.remote_addr = client;
  r.time = clock_.NowSeconds();
  r.method = req.method;
  r.target = req.target;
  r.protocol = req.minor_version == 0 ? "HTTP/1.0" : "HTTP/1.1";
  r.status = res.status;
  r.bytes = static_cast<int64_t>(res.body.size());
  r.referer = req.Header("Referer");
  r.user_agent = req.Header("User-Agent");
  access_log_->Append(FormatLogLine(r));
}

void Daemon::RollUpAndLog(const char* why) {
  last_rollup_ = clock_.NowSeconds();
  auto start = std::chrono::steady_clock::now();
  auto r = rollup_->Run();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  if (!r.ok()) {
    LogError("rolling up visits (" + std::string(why) + ") failed: " + r.status().message());
  } else if (r->lines > 0) {
    // Start-up may read a long backlog: worth a line at info level.
    Log(std::string(why) == "start-up" ? LogLevel::kInfo : LogLevel::kDebug,
        "rolled up " + std::to_string(r->lines) + " log lines, " + std::to_string(r->visits) +
            " visits, in " + std::to_string(ms) + " ms (" + why + ")");
  }
}

void Daemon::Tick() {
  Status s = access_log_->Flush();
  if (!s.ok()) LogError(s.message());
  if (clock_.NowSeconds() - last_rollup_ >= kRollupIntervalSeconds) {
    RollUpAndLog("periodic");
  }
}

void Daemon::ReopenLogs() {
  RollUpAndLog("SIGHUP");
  Status s = access_log_->Reopen();
  if (!s.ok()) {
    LogError(s.message());
  } else {
    LogInfo("reopened " + access_log_->path());
  }
}

void Daemon::FinishShutdown() { RollUpAndLog("shutdown"); }

Daemon::~Daemon() {
  if (lock_fd_ >= 0) close(lock_fd_);
}

void Daemon::WriteLockFile(const std::string& url) {
  // The lock file names the holder, for people and for pastebin daemon.
  std::string text = std::to_string(getpid()) + "\n" + (url.empty() ? "" : url + "\n");
  if (ftruncate(lock_fd_, 0) != 0 || pwrite(lock_fd_, text.data(), text.size(), 0) < 0) {
    LogWarn("could not write the pid into " + settings_.data_dir + "/pasted.lock");
  }
}

Result<std::string> Daemon::Bind() {
  auto url = bound_url_.empty() ? BindListeners() : Result<std::string>(bound_url_);
  if (url.ok()) WriteLockFile(*url);
  return url;
}

Result<std::string> Daemon::BindListeners() {
  if (auto fd = InheritedListenSocket()) {
    auto port = http_.Adopt(*fd);
    if (!port.ok()) return port.status();
    bound_port_ = *port;
    LogInfo("using the socket systemd passed; the listen setting is ignored");
    return Scheme() + "://" + HostPort(settings_.listen_host, bound_port_) + " (socket activation)";
  }
  if (!settings_.listen_unix.empty()) {
    Status s = http_.BindUnix(settings_.listen_unix);
    if (!s.ok()) return s;
  } else {
    auto port = http_.Bind(settings_.listen_host, settings_.listen_port);
    if (!port.ok()) return port.status();
    bound_port_ = *port;
  }
  if (!settings_.tcp_listen_host.empty()) {
    TcpPasteOptions options;
    options.idle_timeout_ms = static_cast<int>(settings_.tcp_idle_timeout * 1000);
    options.max_bytes = static_cast<size_t>(settings_.max_paste_bytes);
    options.max_connections = static_cast<size_t>(tcp_max_connections_);
    tcp_ = std::make_unique<TcpPasteServer>(
        options, [this](const std::string& peer, const std::string& local, std::string contents) {
          return StoreFromTcp(peer, local, std::move(contents));
        });
    auto tcp_port = tcp_->Bind(settings_.tcp_listen_host, settings_.tcp_listen_port);
    if (!tcp_port.ok()) return tcp_port.status();
    LogInfo("taking pastes over TCP on " + HostPort(settings_.tcp_listen_host, *tcp_port) +
            " (cmd | nc HOST PORT)");
  }
  if (!settings_.listen_unix.empty()) return "unix:" + settings_.listen_unix;
  return Scheme() + "://" + HostPort(settings_.listen_host, bound_port_);
}

void Daemon::Serve() {
  std::thread tcp;
  if (tcp_) {
    tcp = std::thread([this] {
      pthread_setname_np(pthread_self(), "pasted-tcp");
      tcp_->Serve();
    });
  }
  http_.Serve();
  if (tcp.joinable()) tcp.join();
}

void Daemon::Stop() {
  http_.Stop();
  if (tcp_) tcp_->Stop();
}

std::string Daemon::StoreFromTcp(const std::string& peer, const std::string& local,
                                 std::string contents) {
  RequestLogRecord log;
  log.remote_addr = peer;
  log.time = clock_.NowSeconds();
  log.method = "TCP";
  log.target = "/";
  log.protocol = "netcat";
  std::string line;
  if (int64_t wait = write_limiter_->Take(peer)) {
    log.status = 429;
    line = "error: too many pastes from " + peer + "; try again in " + std::to_string(wait) +
           (wait == 1 ? " second" : " seconds");
  } else {
    auto created = pastes_->Create(contents, std::nullopt);
    if (created.ok()) {
      log.status = 201;
      std::string base = settings_.public_url.empty()
                             ? Scheme() + "://" + HostPort(local, bound_port_)
                             : settings_.public_url;
      line = base + "/" + created->record.shortlink;
    } else {
      Status told = PublicError(created.status());
      log.status = told.http_status();
      line = "error: " + told.message();
    }
  }
  log.bytes = static_cast<int64_t>(line.size() + 1);
  access_log_->Append(FormatLogLine(log));
  return line;
}

Status Daemon::Readiness() {
  std::lock_guard<std::mutex> lock(ready_mu_);
  auto now = std::chrono::steady_clock::now();
  if (ready_checked_ != std::chrono::steady_clock::time_point() &&
      now - ready_checked_ < std::chrono::seconds(1)) {
    return ready_;
  }
  Status was = ready_;
  bool first = ready_checked_ == std::chrono::steady_clock::time_point();
  ready_ = pastes_->CheckReady();
  ready_checked_ = now;
  if (!ready_.ok() && (first || was.ok() || was.message() != ready_.message())) {
    LogWarn("not ready: " + ready_.message() + " (data dir " + settings_.data_dir + ")");
  } else if (ready_.ok() && !was.ok()) {
    LogInfo("ready again");
  }
  return ready_;
}

std::string Daemon::ClientOf(const HttpRequest& req) const {
  return ClientAddress(req.remote_addr, req.HeaderList("X-Forwarded-For"), proxies_);
}

std::string Daemon::LinkBase(const HttpRequest& req) const {
  if (!settings_.public_url.empty()) return settings_.public_url;
  if (IsPlausibleHost(req.authority)) return Scheme() + "://" + req.authority;
  return Scheme() + "://" + HostPort(settings_.listen_host, bound_port_);
}

}  // namespace pastebin
