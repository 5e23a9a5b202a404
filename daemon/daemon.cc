#include "daemon/daemon.h"

#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/strings.h"
#include "daemon/api/admin_access.h"
#include "daemon/api/readiness.h"
#include "daemon/api/tcp_answer.h"
#include "daemon/base/fd_limit.h"
#include "daemon/base/log.h"
#include "daemon/base/systemd.h"
#include "daemon/front/client_limit.h"
#include "daemon/front/front_desk.h"
#include "daemon/front/links.h"
#include "daemon/front/paste_answer.h"
#include "daemon/http/http_server.h"
#include "daemon/metrics.h"
#include "daemon/paste_service.h"
#include "daemon/routes.h"
#include "daemon/stats/access_log.h"
#include "daemon/stats/visit_rollup.h"
#include "daemon/store/content_dir.h"
#include "daemon/store/stores.h"
#include "daemon/tcp/tcp_paste_server.h"
#include "daemon/token.h"

namespace pastebin {

// What Open builds, in the order it builds it; destroyed in reverse, so
// each part outlives those that use it.
struct Daemon::Parts {
  ConnectionCaps caps;
  std::unique_ptr<HttpServer> http;  // answers still delivered at shutdown find its loops
  int port = 0;                      // HTTP's, once bound (0 on a Unix socket)
  std::string bound_url;             // set when Open bound the listeners
  Stores stores;
  PasteLimits limits;
  std::unique_ptr<PasteService> pastes;
  std::unique_ptr<DeleteFeed> deletes;  // calls into pastes: stops before it goes
  std::unique_ptr<AccessLog> access_log;
  std::unique_ptr<VisitRollup> rollup;
  std::unique_ptr<AdminAccess> admin;
  Metrics metrics;
  std::unique_ptr<ClientLimit> writes;  // rate_limit
  std::unique_ptr<ClientLimit> misses;  // miss_limit
  std::unique_ptr<Links> links;
  std::unique_ptr<Readiness> readiness;
  std::unique_ptr<HandlerGroups> groups;
  std::unique_ptr<FrontDesk> desk;
  std::unique_ptr<TcpAnswer> tcp_answer;
  std::unique_ptr<TcpPasteServer> tcp;  // calls into tcp_answer
};

Daemon::Daemon(const Settings& settings, const Clock& clock, Random& random)
    : settings_(settings), clock_(clock), random_(random), parts_(std::make_unique<Parts>()) {}

Daemon::~Daemon() {
  parts_.reset();  // before the lock goes: nothing may use the data dir after
  if (lock_fd_ >= 0) close(lock_fd_);
}

Result<std::unique_ptr<Daemon>> Daemon::Open(const Settings& settings, const Clock& clock,
                                             Random& random) {
  std::unique_ptr<Daemon> d(new Daemon(settings, clock, random));
  Status s = d->PlanServer();
  // An address in use (another pasted, or anything) is found before the
  // data dir, its database or its log are made: a failed start leaves
  // nothing behind. A Unix socket may live in the data dir: it waits.
  if (s.ok()) s = d->BindNetwork();
  if (s.ok()) s = d->LockDataDir();
  if (s.ok()) s = d->BindSockets();
  if (s.ok()) s = d->OpenStores();
  if (s.ok()) s = d->StartPasteService();
  if (s.ok()) s = d->OpenAccessLog();
  if (s.ok()) s = d->BuildFrontDesk();
  if (!s.ok()) return s;
  return d;
}

// The HTTP server, sized from the file descriptors pasted may hold.
Status Daemon::PlanServer() {
  const Settings& s = settings_;
  int64_t fd_limit = RaiseFileLimit();
  ConnectionCaps caps =
      PlanConnections(fd_limit, s.threads, !s.tcp_listen_host.empty(), s.max_connections);
  if (s.max_connections > 0 && caps.http + caps.tcp > caps.room) {
    LogWarn("max_connections " + std::to_string(s.max_connections) +
            " is more than the file descriptor limit (" + std::to_string(fd_limit) +
            ") leaves room for (about " + std::to_string(caps.room) +
            "); raise the limit (LimitNOFILE=) or lower max_connections");
  }
  // Told once pasted is ready, not before a start-up that may yet fail.
  capacity_note_ =
      "serving up to " + std::to_string(caps.http) + " connections" +
      (s.max_connections > 0 ? ""
                             : " (max_connections auto, from the file descriptor limit " +
                                   std::to_string(fd_limit) + ")");
  HttpServerOptions http;
  http.workers = static_cast<size_t>(s.threads);
  http.loops = std::max(1u, std::thread::hardware_concurrency());
  // On SQLite the event loops read what is in memory themselves
  // (nowait_vfs.h); readers only wait for the disk, so several a core keep
  // it busy: among 10 M pastes after the page cache was dropped, p99 18-121
  // ms with 16 here against 256-354 ms with 2, at the same rate. On
  // PostgreSQL every miss is a reader's, and misses waiting together go in
  // one query (PgMetadataStore::Get): the more wait, the fewer queries.
  http.readers = 8 * http.loops;
  http.max_connections = static_cast<size_t>(caps.http);
  http.header_timeout_ms = static_cast<int>(s.request_timeout * 1000);
  http.body_timeout_ms = static_cast<int>(s.request_timeout * 1000);
  http.min_body_rate = s.min_upload_rate;
  http.min_send_rate = s.min_download_rate;
  http.idle_timeout_ms = static_cast<int>(s.keepalive_timeout * 1000);
  http.max_body_memory = static_cast<size_t>(s.max_upload_memory);
  http.max_output_memory = static_cast<size_t>(s.max_output_memory);
  http.common_headers = FrontDesk::kCommonHeaders;
  parts_->caps = caps;
  parts_->http = std::make_unique<HttpServer>(http);
  if (!s.tls_cert.empty()) return parts_->http->EnableTls(s.tls_cert, s.tls_key);
  return Status::Ok();
}

// What can be bound before the data dir exists: HTTP on a TCP address (or
// the socket systemd passed) and, when set, the raw TCP paste port.
Status Daemon::BindNetwork() {
  const Settings& s = settings_;
  std::string scheme = s.tls_cert.empty() ? "http" : "https";
  HttpServer& http = *parts_->http;
  if (auto fd = InheritedListenSocket()) {
    auto port = http.Adopt(*fd);
    if (!port.ok()) return port.status();
    parts_->port = *port;
    LogInfo("using the socket systemd passed; the listen setting is ignored");
    url_ = scheme + "://" + HostPort(s.listen_host, *port) + " (socket activation)";
  } else if (s.listen_unix.empty()) {
    auto port = http.Bind(s.listen_host, s.listen_port);
    if (!port.ok()) return port.status();
    parts_->port = *port;
    url_ = scheme + "://" + HostPort(s.listen_host, *port);
  }
  if (s.tcp_listen_host.empty()) return Status::Ok();
  TcpPasteOptions options;
  options.idle_timeout_ms = static_cast<int>(s.tcp_idle_timeout * 1000);
  options.max_bytes = static_cast<size_t>(s.max_paste_bytes);
  options.max_connections = static_cast<size_t>(parts_->caps.tcp);
  options.budget = &http.body_budget();
  Parts* parts = parts_.get();
  parts_->tcp = std::make_unique<TcpPasteServer>(
      options, [parts](const std::string& peer, const std::string& local, std::string contents) {
        return parts->tcp_answer->Store(peer, local, std::move(contents));
      });
  auto tcp_port = parts_->tcp->Bind(s.tcp_listen_host, s.tcp_listen_port);
  if (!tcp_port.ok()) return tcp_port.status();
  LogInfo("taking pastes over TCP on " + HostPort(s.tcp_listen_host, *tcp_port) +
          " (cmd | nc HOST PORT)");
  return Status::Ok();
}

// Unix sockets, which may live in the data dir: listen = unix:PATH (0666,
// its folder decides who connects) and local_socket (0600, pasted's own
// user alone, in a folder only that user may write to).
Status Daemon::BindSockets() {
  const Settings& s = settings_;
  HttpServer& http = *parts_->http;
  if (!s.listen_unix.empty()) {
    Status bound = http.BindUnix(s.listen_unix, 0666);
    if (!bound.ok()) return bound;
    url_ = "unix:" + s.listen_unix;
  }
  if (s.local_socket.empty()) return Status::Ok();
  std::string dir = s.local_socket.substr(0, s.local_socket.rfind('/'));
  if (!dir.empty()) MakePrivateDirs(dir);
  Status owned = CheckPrivateDir(dir.empty() ? "/" : dir);
  if (!owned.ok()) {
    return InvalidArgument("local_socket " + s.local_socket + ": " + owned.message() +
                           "; put it in a directory only pasted's user may write to");
  }
  Status bound = http.BindUnix(s.local_socket, 0600);
  if (!bound.ok()) return bound;
  LogInfo("serving pasted's own user on unix:" + s.local_socket);
  return Status::Ok();
}

// The data dir, made if missing (0700, its missing parents too), and its
// lock, so that no second pasted uses it.
Status Daemon::LockDataDir() {
  const std::string& dir = settings_.data_dir;
  // Its missing parents too (~/.local/share on a fresh account); a failure
  // there is told by MakePrivateDir below.
  size_t slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) MakePrivateDirs(dir.substr(0, slash));
  Status s = MakePrivateDir(dir);
  if (!s.ok()) return s;
  std::string lock_path = dir + "/pasted.lock";
  lock_fd_ = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) {
    return Internal("cannot open " + lock_path + ": " + strerror(errno) +
                    "; check the data dir's permissions");
  }
  if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status(Code::kUnavailable, "another pasted is already using data dir " + dir +
                                          "; stop it or choose another --data-dir");
  }
  WriteLockFile("");
  return Status::Ok();
}

Status Daemon::OpenStores() {
  StoreOptions options = StoreOptionsOf(settings_);
  if (options.kind == "postgres" && options.node.empty()) {
    // Unique without configuration: the host name (for people to read)
    // and an id made once in the data dir, which only this pasted holds.
    auto id = LoadOrCreateTokenFile(settings_.data_dir + "/node.id", random_);
    if (!id.ok()) return id.status();
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    options.legacy_node = host;
    options.node = std::string(host) + "-" + id->substr(0, 8);
    LogInfo("node name " + options.node + " (from " + settings_.data_dir + "/node.id)");
  }
  auto stores = pastebin::OpenStores(options, random_);
  if (!stores.ok()) return stores.status();
  parts_->stores = std::move(stores).value();
  return Status::Ok();
}

// The limits, derived here once, the paste service, the other nodes'
// deletes it must hear of, and bodies from before storage v2 moved inline.
Status Daemon::StartPasteService() {
  const Settings& s = settings_;
  PasteLimits& limits = parts_->limits;
  limits.max_paste_bytes = s.max_paste_bytes;
  limits.max_expiry_minutes = s.max_expiry_minutes;
  // With a maximum, "never" is not on offer, so the default becomes it.
  limits.default_expiry_minutes =
      s.default_expiry_minutes == 0 ? s.max_expiry_minutes : s.default_expiry_minutes;
  limits.cache_bytes = static_cast<size_t>(s.cache_bytes);
  limits.inline_max_bytes = s.inline_max_bytes;
  limits.link_length = static_cast<size_t>(s.link_length);
  Stores& stores = parts_->stores;
  parts_->pastes =
      std::make_unique<PasteService>(*stores.metadata, stores.files(), clock_, random_, limits,
                                     AddValidators, &parts_->http->answer_budget());
  PasteService* pastes = parts_->pastes.get();
  // What a loop's lookups kept open (SQLite: one read transaction) goes
  // after a round of events, or a few busy ones.
  MetadataStore* metadata = stores.metadata.get();
  parts_->http->SetRoundHook([metadata](bool busy) { metadata->ReleaseReads(busy); });
  parts_->deletes = std::move(stores.deletes);
  if (parts_->deletes) {
    Status s = parts_->deletes->Start([pastes](std::string_view link) { pastes->Forget(link); },
                                      [pastes] { pastes->ForgetAll(); });
    if (!s.ok()) return s;
  }
  auto moved = pastes->MoveSmallBodiesInline();
  if (!moved.ok()) return moved.status();
  if (*moved > 0) {
    LogInfo("moved " + std::to_string(*moved) + " small paste bodies into the database");
  }
  return Status::Ok();
}

// The access log, and the count of what an earlier run left unread in it
// (or, rotated, in PATH.1).
Status Daemon::OpenAccessLog() {
  const std::string& dir = settings_.data_dir;
  std::string path = settings_.access_log.empty() ? dir + "/access.log" : settings_.access_log;
  auto log = AccessLog::Open(path, random_);
  if (!log.ok()) return log.status();
  parts_->access_log = std::move(log).value();
  AccessLog* access_log = parts_->access_log.get();
  parts_->rollup = std::make_unique<VisitRollup>(*parts_->stores.stats, path, clock_,
                                                 [access_log] { return access_log->Flush(); });
  RollUpAndLog("start-up");
  return Status::Ok();
}

// Who may use the admin routes, the write gate, the link builder, the
// handler groups (each with only what it uses), the route table and the
// front desk that serves it; the TCP port's answer too.
Status Daemon::BuildFrontDesk() {
  const Settings& s = settings_;
  Parts& p = *parts_;
  auto token = AdminToken(s.admin_token, s.admin_token_file, s.data_dir, random_);
  if (!token.ok()) return token.status();
  AdminPolicy admin;
  admin.token_hash = HashToken(*token);
  admin.loopback = s.admin_loopback;
  admin.own_uid = geteuid();
  p.admin = std::make_unique<AdminAccess>(admin, clock_, random_);
  auto proxies = TrustedProxies::Parse(s.trusted_proxies);
  if (!proxies.ok()) return proxies.status();

  int v6 = static_cast<int>(s.rate_limit_ipv6_prefix);
  p.writes = std::make_unique<ClientLimit>(s.rate_limit, s.rate_limit_burst, clock_, v6, "pastes");
  p.misses = std::make_unique<ClientLimit>(s.miss_limit, s.miss_limit_burst, clock_, v6,
                                           "lookups of pastes that do not exist");
  p.links = std::make_unique<Links>(s.public_url, s.tls_cert.empty() ? "http" : "https",
                                    s.listen_host, p.port);
  p.readiness = std::make_unique<Readiness>(*p.pastes, "data dir " + s.data_dir);
  HandlerDeps deps{*p.pastes,
                   *p.links,
                   Freshness{clock_, s.max_age},
                   *p.rollup,
                   *p.stores.stats,
                   *p.admin,
                   p.metrics,
                   *p.readiness,
                   clock_.NowSeconds(),
                   p.http->answer_budget()};
  p.groups = std::make_unique<HandlerGroups>(deps);
  FrontDeskLimits limits{static_cast<size_t>(s.max_paste_bytes),
                         static_cast<size_t>(s.max_upload_memory)};
  p.desk = std::make_unique<FrontDesk>(p.groups->Routes(), limits, std::move(proxies).value(),
                                       *p.writes, *p.misses, *p.access_log, p.metrics, clock_);
  p.tcp_answer = std::make_unique<TcpAnswer>(*p.pastes, *p.writes, *p.links, *p.access_log, clock_);
  return Status::Ok();
}

std::string Daemon::Ready() {
  LogInfo(capacity_note_);
  WriteLockFile(url_);
  return url_;
}

void Daemon::Serve() {
  std::thread tcp;
  if (parts_->tcp) {
    tcp = std::thread([this] {
      pthread_setname_np(pthread_self(), "pasted-tcp");
      parts_->tcp->Serve();
    });
  }
  parts_->http->Serve(*parts_->desk);
  if (tcp.joinable()) tcp.join();
}

void Daemon::Stop() {
  parts_->http->Stop();
  if (parts_->tcp) parts_->tcp->Stop();
}

void Daemon::RollUpAndLog(const char* why) {
  last_rollup_ = clock_.NowSeconds();
  auto start = std::chrono::steady_clock::now();
  auto r = parts_->rollup->Run();
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
  Status s = parts_->access_log->Flush();
  if (!s.ok()) LogError(s.message());
  if (clock_.NowSeconds() - last_rollup_ >= kRollupIntervalSeconds) RollUpAndLog("periodic");
}

void Daemon::ReopenLogs() {
  RollUpAndLog("SIGHUP");
  Status s = parts_->access_log->Reopen();
  if (!s.ok()) {
    LogError(s.message());
  } else {
    LogInfo("reopened " + parts_->access_log->path());
  }
}

void Daemon::FinishShutdown() { RollUpAndLog("shutdown"); }

void Daemon::WriteLockFile(const std::string& url) {
  // The lock file names the holder, for people and for pastebin daemon.
  std::string text = std::to_string(getpid()) + "\n" + (url.empty() ? "" : url + "\n");
  if (ftruncate(lock_fd_, 0) != 0 || pwrite(lock_fd_, text.data(), text.size(), 0) < 0) {
    LogWarn("could not write the pid into " + settings_.data_dir + "/pasted.lock");
  }
}

}  // namespace pastebin
