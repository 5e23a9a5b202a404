#include "daemon/routes.h"

#include "common/text.h"
#include "common/time_format.h"
#include "common/version.h"
#include "common/wire.h"
#include "daemon/admin_access.h"
#include "daemon/base/log.h"
#include "daemon/daemon.h"
#include "daemon/http/http_caching.h"
#include "daemon/public_error.h"
#include "daemon/stats/log_line.h"
#include "daemon/web/compat_handlers.h"
#include "daemon/web/paste_answer.h"
#include "daemon/web/web_pages.h"

namespace pastebin {
namespace {

// Pastes listed for one month when the request names no ?top.
constexpr size_t kDefaultStatsTop = 100;

// RFC 3339, or null for never (create answers and links; the chapter's
// GET /api/v1/paste keeps FormatUtc).
std::optional<std::string> FormatOptionalTime(const std::optional<int64_t>& t) {
  if (!t) return std::nullopt;
  return FormatRfc3339(*t);
}

// 201 with the new paste or short link, as PasteCreated.
void SendCreated(Daemon& d, const HttpRequest& req, const NewPaste& created, HttpResponse& res) {
  const PasteRecord& r = created.record;
  PasteCreated out;
  out.shortlink = r.shortlink;
  out.url = d.LinkBase(req) + "/" + r.shortlink;
  out.target = r.link_target;
  out.created_at = FormatRfc3339(r.created_at);
  out.expires_at = FormatOptionalTime(r.expires_at);
  out.expiration_length_in_minutes = r.expiration_length_in_minutes;
  out.delete_token = created.delete_token;
  res.SetHeader("Location", out.url);
  SendJson(res, 201, ToJson(out));
}

// False, with a 429 and Retry-After in res, when the client has made too
// many pastes lately (rate_limit).
bool AllowWrite(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  int64_t wait = d.TakeWriteToken(req);
  if (wait == 0) return true;
  SendError(res, Status(Code::kRateLimited, "too many pastes from " + d.ClientOf(req) +
                                                "; try again in " + std::to_string(wait) +
                                                (wait == 1 ? " second" : " seconds")));
  res.SetHeader("Retry-After", std::to_string(wait));
  return false;
}

CachePolicy PolicyOf(Daemon& d) { return {d.clock().NowSeconds(), d.settings().max_age}; }

PasteOptions OptionsOf(const CreatePasteRequest& req) {
  return PasteOptions{req.burn_after_reading, req.language};
}

void CreatePaste(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  if (!AllowWrite(d, req, res)) return;
  Status text = CheckText(req.body, "request body");
  if (!text.ok()) return SendError(res, text);
  auto parsed = ParseCreatePasteRequest(req.body);
  if (!parsed.ok()) return SendError(res, parsed.status());
  if (!req.may_block) {
    // On the event loop: queue the paste for the next group commit and go
    // on serving; the answer is built here when the commit is done.
    Status queued = d.pastes().CreateAsync(
        parsed->paste_contents, parsed->expiration_length_in_minutes, OptionsOf(*parsed),
        [&d, answer = req.answer_later](Result<NewPaste> created) {
          answer([&d, created = std::move(created)](const HttpRequest& req, HttpResponse& res) {
            if (!created.ok()) return SendError(res, created.status());
            SendCreated(d, req, *created, res);
          });
        });
    if (queued.code() == Code::kWouldBlock) {
      res.would_block = true;  // a body for a file: a worker writes it
      return;
    }
    if (!queued.ok()) return SendError(res, queued);
    res.deferred = true;
    return;
  }
  auto created = d.pastes().Create(parsed->paste_contents, parsed->expiration_length_in_minutes,
                                   OptionsOf(*parsed));
  if (!created.ok()) return SendError(res, created.status());
  SendCreated(d, req, *created, res);
}

// A JSON paste small enough to be inline is taken on the event loop (see
// CreatePaste); a larger one goes to a worker, which writes its file.
bool CreatePasteMayBlock(Daemon& d, const HttpRequest& req) {
  return static_cast<int64_t>(req.body.size()) >= d.settings().inline_max_bytes;
}

// The ?shortlink= parameter, or a 400 naming the route's usage.
std::optional<std::string> ShortlinkParam(const HttpRequest& req, HttpResponse& res) {
  if (req.HasParam("shortlink")) return req.Param("shortlink");
  SendError(res, InvalidArgument("missing query parameter 'shortlink' (e.g. " + req.method + " " +
                                 req.path + "?shortlink=Ab3dE9x)"));
  return std::nullopt;
}

// The paste or short link a read names, or nullptr after answering an
// error (or asking to be run again off the event loop).
std::shared_ptr<const StoredPaste> Lookup(Daemon& d, const HttpRequest& req,
                                          const std::string& shortlink, HttpResponse& res) {
  auto paste = d.pastes().Get(shortlink, req.may_block);
  if (paste.status().code() == Code::kWouldBlock) {
    res.would_block = true;
    return nullptr;
  }
  if (!paste.ok()) {
    SendError(res, paste.status());
    return nullptr;
  }
  return *paste;
}

// The raw bytes of a paste that just burned: no validators, no ranges, no
// copies kept anywhere.
void SendBurned(const StoredPaste& paste, HttpResponse& res) {
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  res.SetContent(paste.contents, "text/plain; charset=utf-8");
}

// A burn-after-reading paste's one reading. A HEAD only looks; with
// ask_browsers, a browser gets a page asking first (link previews and
// prefetchers must not burn it) whose button posts to /burn/X; anyone else
// takes it now. Returns the paste to answer with (its last copy, never to
// be cached), or nullptr once res is answered; a paste that does not burn
// comes back as it is.
std::shared_ptr<const StoredPaste> TakeIfBurning(Daemon& d, const HttpRequest& req,
                                                 std::shared_ptr<const StoredPaste> paste,
                                                 bool ask_browsers, HttpResponse& res) {
  if (!paste->record.burn_after_reading) return paste;
  res.SetHeader("Cache-Control", "no-store");
  if (req.method == "HEAD") {  // the length only: the body is not sent
    SendBurned(*paste, res);
    return nullptr;
  }
  if (ask_browsers && AcceptsHtml(req)) {
    SetPageHeaders(res);
    res.status = 200;
    res.SetContent(BurnPage(paste->record.shortlink), "text/html; charset=utf-8");
    return nullptr;
  }
  if (!req.may_block) {  // a delete: a worker's job
    res.would_block = true;
    return nullptr;
  }
  auto taken = d.pastes().Burn(paste->record.shortlink);
  if (!taken.ok()) {
    SendError(res, taken.status());
    return nullptr;
  }
  return *taken;
}

// A burn-after-reading paste answered as raw bytes (see TakeIfBurning).
void SendRawBurning(Daemon& d, const HttpRequest& req, std::shared_ptr<const StoredPaste> paste,
                    bool ask_browsers, HttpResponse& res) {
  paste = TakeIfBurning(d, req, std::move(paste), ask_browsers, res);
  if (paste) SendBurned(*paste, res);
}

void GetLink(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto shortlink = ShortlinkParam(req, res);
  if (!shortlink) return;
  auto link = Lookup(d, req, *shortlink, res);
  if (!link) return;
  if (!link->record.link_target) {
    return SendError(res, NotFound(*shortlink +
                                   " is a paste, not a short link; see GET "
                                   "/api/v1/paste?shortlink=" +
                                   *shortlink));
  }
  LinkView view;
  view.shortlink = link->record.shortlink;
  view.target = *link->record.link_target;
  view.created_at = FormatRfc3339(link->record.created_at);
  view.expires_at = FormatOptionalTime(link->record.expires_at);
  view.expiration_length_in_minutes = link->record.expiration_length_in_minutes;
  SendJson(res, 200, ToJson(view));
}

void GetPasteJson(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto shortlink = ShortlinkParam(req, res);
  if (!shortlink) return;
  auto paste = Lookup(d, req, *shortlink, res);
  if (!paste) return;
  if (paste->record.link_target) {
    return SendError(res, NotFound(*shortlink +
                                   " is a short link, not a paste; see GET "
                                   "/api/v1/link?shortlink=" +
                                   *shortlink));
  }
  bool burns = paste->record.burn_after_reading;
  paste = TakeIfBurning(d, req, std::move(paste), /*ask_browsers=*/false, res);
  if (!paste) return;
  const StoredPaste& p = *paste;
  std::string etag = EntityTag(p.record.content_hash, ".json");
  if (!burns && AnswerIfNotModified(req, p, etag, PolicyOf(d), res)) return;
  PasteView view;
  view.shortlink = p.record.shortlink;
  view.paste_contents = p.contents;
  // The chapter's answer keeps its "YYYY-MM-DD HH:MM:SS", both times alike.
  view.created_at = FormatUtc(p.record.created_at);
  if (p.record.expires_at) view.expires_at = FormatUtc(*p.record.expires_at);
  view.expiration_length_in_minutes = p.record.expiration_length_in_minutes;
  SendJson(res, 200, ToJson(view));
}

// A short link's answer: a redirect to its target (a visit, too).
void Redirect(const StoredPaste& link, HttpResponse& res) {
  res.status = 302;
  res.SetHeader("Location", *link.record.link_target);
  res.SetHeader("Cache-Control", "private, max-age=0");
  res.SetContent("Redirecting to " + *link.record.link_target + "\n", "text/plain; charset=utf-8");
}

void SendRaw(Daemon& d, const HttpRequest& req, const StoredPaste& paste, HttpResponse& res) {
  // False: a gzip copy is to be made, which is a worker's job.
  if (!AnswerRaw(req, paste, PolicyOf(d), res)) res.would_block = true;
}

// GET /X: a redirect for a short link; for a paste the HTML view to a
// browser, the raw bytes to everyone else.
void ViewPaste(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  // X.py: the same paste, shown as Python (raw bytes stay raw).
  auto [shortlink, extension] = SplitLanguage(req.path_params[0]);
  auto paste = Lookup(d, req, std::string(shortlink), res);
  if (!paste) return;
  if (paste->record.link_target) return Redirect(*paste, res);
  if (paste->record.burn_after_reading) {
    return SendRawBurning(d, req, std::move(paste), !req.HasParam("raw"), res);
  }
  if (!WantsHtml(req)) return SendRaw(d, req, *paste, res);
  SetPageHeaders(res);
  res.SetHeader("Vary", "Accept, Accept-Encoding");
  std::string etag = EntityTag(paste->record.content_hash, ".html");
  if (AnswerIfNotModified(req, *paste, etag, PolicyOf(d), res)) return;
  res.status = 200;
  // The language: ?lang=, else the link's extension, else the creator's.
  std::string language = req.HasParam("lang") && IsLanguageName(req.Param("lang"))
                             ? req.Param("lang")
                         : !extension.empty() ? std::string(extension)
                                              : paste->record.language;
  res.SetContent(
      PastePage(*paste, d.LinkBase(req) + "/" + paste->record.shortlink, false, language),
      "text/html; charset=utf-8");
}

// GET /raw/X, /share/X: always the raw bytes (or a short link's redirect).
void GetPasteRaw(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto paste = Lookup(d, req, std::string(SplitLanguage(req.path_params[0]).first), res);
  if (!paste) return;
  if (paste->record.link_target) return Redirect(*paste, res);
  if (paste->record.burn_after_reading) {
    return SendRawBurning(d, req, std::move(paste), /*ask_browsers=*/true, res);
  }
  SendRaw(d, req, *paste, res);
}

// POST /burn/X: the button of the page a browser gets first for a
// burn-after-reading paste. Its one reading, as a page; a paste that does
// not burn is sent to its page.
void BurnFromPage(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto paste = Lookup(d, req, req.path_params[0], res);
  if (!paste) return;
  if (!paste->record.burn_after_reading) {
    res.status = 303;
    res.SetHeader("Location", "/" + paste->record.shortlink);
    return;
  }
  auto taken = d.pastes().Burn(paste->record.shortlink);
  if (!taken.ok()) return SendError(res, taken.status());
  SetPageHeaders(res);
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  res.SetContent(PastePage(**taken, "", /*burned=*/true), "text/html; charset=utf-8");
}

// GET /: the form to a browser, a usage note to a terminal.
void Home(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  res.status = 200;
  if (!WantsHtml(req)) {
    return res.SetContent(UsageText(d.LinkBase(req)), "text/plain; charset=utf-8");
  }
  const Settings& s = d.settings();
  SetPageHeaders(res);
  res.SetContent(HomePage(s.max_paste_bytes, s.default_expiry_minutes, s.max_expiry_minutes),
                 "text/html; charset=utf-8");
}

void Robots(Daemon&, const HttpRequest&, HttpResponse& res) {
  res.status = 200;
  res.SetHeader("Cache-Control", "public, max-age=86400");
  res.SetContent(std::string(RobotsTxt()), "text/plain; charset=utf-8");
}

void Favicon(Daemon&, const HttpRequest&, HttpResponse& res) {
  res.status = 200;
  res.SetHeader("Cache-Control", "public, max-age=86400");
  res.SetContent(std::string(FaviconIco()), "image/x-icon");
}

void Static(Daemon&, const HttpRequest& req, HttpResponse& res) {
  std::string_view bytes, type;
  if (!StaticAsset(req.path_params[0], &bytes, &type)) {
    return SendError(res, NotFound("no such file: " + req.path));
  }
  res.status = 200;
  res.SetHeader("Cache-Control", "public, max-age=3600");
  res.SetHeader("Vary", "Accept-Encoding");
  // The larger assets (highlight.js: 846 KB) go gzipped to whoever takes it.
  std::string_view gzipped = GzippedAsset(req.path_params[0]);
  if (!gzipped.empty() && AcceptsCoding(req.Header("Accept-Encoding"), "gzip")) {
    res.SetHeader("Content-Encoding", "gzip");
    return res.SetContent(std::string(gzipped), type);
  }
  res.SetContent(std::string(bytes), type);
}

void CreateLink(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  if (!AllowWrite(d, req, res)) return;
  auto parsed = ParseCreateLinkRequest(req.body);
  if (!parsed.ok()) return SendError(res, parsed.status());
  auto created = d.pastes().CreateLink(parsed->url, parsed->expiration_length_in_minutes);
  if (!created.ok()) return SendError(res, created.status());
  SendCreated(d, req, *created, res);
}

void DeletePaste(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto shortlink = ShortlinkParam(req, res);
  if (!shortlink) return;
  Status s = d.pastes().Delete(*shortlink, std::string(req.Header("X-Delete-Token")));
  if (!s.ok()) return SendError(res, s);
  res.status = 204;
}

// GET /api/v1/paste/stats?shortlink=X with X-Delete-Token: one paste's
// visits by month, for whoever holds its token (no admin needed).
void LinkStatsRoute(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto shortlink = ShortlinkParam(req, res);
  if (!shortlink) return;
  Status owner =
      d.pastes().CheckOwner(*shortlink, req.Header("X-Delete-Token"), "the statistics of");
  if (!owner.ok()) return SendError(res, owner);
  // Count every visit served up to now before answering.
  auto rolled = d.rollup().Run();
  if (!rolled.ok()) return SendError(res, rolled.status());
  auto stats = d.stats().LinkMonths(*shortlink);
  if (!stats.ok()) return SendError(res, stats.status());
  res.SetHeader("Cache-Control", "no-store");
  SendJson(res, 200, ToJson(*stats));
}

void CollectGarbage(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  Status allowed = CheckAdminAccess(req, d.admin_policy());
  if (!allowed.ok()) return SendError(res, allowed);
  auto stats = d.pastes().CollectGarbage();
  if (!stats.ok()) return SendError(res, stats.status());
  LogInfo("gc: deleted " + std::to_string(stats->deleted) + " expired pastes and " +
          std::to_string(stats->orphans_removed) + " orphaned bodies, freed " +
          std::to_string(stats->bytes_freed) + " bytes; " + std::to_string(stats->missing_bodies) +
          " pastes had lost their body");
  GcResult out{stats->deleted, stats->bytes_freed, stats->orphans_removed, stats->missing_bodies};
  SendJson(res, 200, ToJson(out));
}

void Stats(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  Status allowed = CheckAdminAccess(req, d.admin_policy());
  if (!allowed.ok()) return SendError(res, allowed);
  std::optional<std::string> month;
  if (req.HasParam("month")) {
    month = req.Param("month");
    if (!ParseMonthName(*month)) {
      return SendError(res, InvalidArgument("month '" + *month +
                                            "' is not a month; use YYYY-MM "
                                            "(e.g. 2026-11)"));
    }
  }
  size_t top = kDefaultStatsTop;
  if (req.HasParam("top")) {
    std::string t = req.Param("top");
    bool digits =
        !t.empty() && t.size() <= 9 && t.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      return SendError(res, InvalidArgument("top '" + t +
                                            "' is not a number; use a count "
                                            "of pastes, or 0 for all"));
    }
    top = static_cast<size_t>(std::stoul(t));
  }
  // Count every visit served up to now before answering.
  auto rolled = d.rollup().Run();
  if (!rolled.ok()) return SendError(res, rolled.status());
  if (!month) {
    auto months = d.stats().Months();
    if (!months.ok()) return SendError(res, months.status());
    auto totals = d.pastes().Totals();
    if (!totals.ok()) return SendError(res, totals.status());
    months->storage = StatsStorage{totals->pastes, totals->bytes, totals->stored_bytes};
    return SendJson(res, 200, ToJson(*months));
  }
  auto report = d.stats().Month(*month, top);
  if (!report.ok()) return SendError(res, report.status());
  SendJson(res, 200, ToJson(*report));
}

void MetricsPage(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  Status allowed = CheckAdminAccess(req, d.admin_policy());
  if (!allowed.ok()) return SendError(res, allowed);
  auto totals = d.pastes().Totals();
  if (!totals.ok()) return SendError(res, totals.status());
  const WriteBatcher& b = d.pastes().batcher();
  CommitTotals commits{static_cast<int64_t>(b.batches()), static_cast<int64_t>(b.rows()),
                       b.commit_seconds()};
  res.status = 200;
  res.SetContent(d.metrics().Render(*totals, commits, d.start_time(), Version()),
                 "text/plain; version=0.0.4; charset=utf-8");
}

// What a client may send: the CLI reads input only up to this limit.
void Info(Daemon& d, const HttpRequest&, HttpResponse& res) {
  const Settings& s = d.settings();
  // With a maximum and no default, the maximum is the default.
  int64_t default_minutes =
      s.default_expiry_minutes == 0 ? s.max_expiry_minutes : s.default_expiry_minutes;
  ServerInfo info{Version(), s.max_paste_bytes, default_minutes, s.max_expiry_minutes};
  SendJson(res, 200, ToJson(info));
}

// Liveness: the process is up and its loops answer.
void Healthz(Daemon&, const HttpRequest&, HttpResponse& res) {
  SendJson(res, 200, R"({"status":"ok"})");
}

// Readiness: a paste could be stored now (what a load balancer checks).
void Readyz(Daemon& d, const HttpRequest&, HttpResponse& res) {
  Status s = d.Readiness();
  if (!s.ok()) {
    // The store's words carry no paths: sent as they are.
    res.SetHeader("Retry-After", "5");
    return SendJson(res, 503, ErrorJson(Status(Code::kUnavailable, "not ready: " + s.message())));
  }
  SendJson(res, 200, R"({"status":"ready"})");
}

bool Always(Daemon&, const HttpRequest&) { return true; }

const std::vector<Route> kRoutes = {
    {"create_paste", "POST", "/api/v1/paste", CreatePaste, CreatePasteMayBlock,
     "create a paste from {\"paste_contents\", \"expiration_length_in_minutes\"}", BodyKind::kJson},
    {"get_paste", "GET", "/api/v1/paste", GetPasteJson, nullptr, "a paste as JSON: ?shortlink=X"},
    {"delete_paste", "DELETE", "/api/v1/paste", DeletePaste, Always,
     "delete a paste: ?shortlink=X with its X-Delete-Token"},
    {"admin_gc", "POST", "/api/v1/admin/gc", CollectGarbage, Always,
     "delete expired pastes and orphaned bodies now (admin)"},
    {"paste_stats", "GET", "/api/v1/paste/stats", LinkStatsRoute, Always,
     "one paste's visits by month: ?shortlink=X with its X-Delete-Token"},
    {"admin_stats", "GET", "/api/v1/admin/stats", Stats, Always,
     "monthly visits: every month, or ?month=YYYY-MM[&top=N] (admin)"},
    {"info", "GET", "/api/v1/info", Info, nullptr,
     "the server's version, largest paste and expiry limits"},
    {"healthz", "GET", "/healthz", Healthz, nullptr, "200 while the process is up (liveness)"},
    {"readyz", "GET", "/readyz", Readyz, Always,
     "200 when a paste could be stored now, else 503 saying why (for load balancers)"},
    {"metrics", "GET", "/metrics", MetricsPage, nullptr, "Prometheus metrics (admin)"},
    {"create_link", "POST", "/api/v1/link", CreateLink, Always,
     "create a short link from {\"url\", \"expiration_length_in_minutes\"}", BodyKind::kSmall},
    {"get_link", "GET", "/api/v1/link", GetLink, nullptr, "a short link as JSON: ?shortlink=X"},
    {"home", "GET", "/", Home, nullptr, "the form (browsers) or a usage note"},
    {"static", "GET", "/static/{link}", Static, nullptr, "the pages' stylesheet and script"},
    {"upload", "POST", "/", CreateFromUpload, Always,
     "raw bytes (curl --data-binary) or multipart (curl -F, 0x0 and sprunge style): the URL "
     "and a newline",
     BodyKind::kUpload},
    {"form", "POST", "/form", CreateFromForm, Always,
     "a url-encoded or multipart form (the web page, pastebinit): the URL and a newline",
     BodyKind::kUpload},
    {"form_delete", "POST", "/form/delete", DeleteFromForm, Always,
     "delete a paste from a url-encoded form with shortlink and token (the created page)",
     BodyKind::kSmall},
    {"robots", "GET", "/robots.txt", Robots, nullptr,
     "keeps crawlers to the front page, off the pastes"},
    {"favicon", "GET", "/favicon.ico", Favicon, nullptr, "the pages' icon"},
    {"haste_create", "POST", "/documents", HasteCreate, Always,
     "haste-server: a raw body in, {\"key\"} out", BodyKind::kRaw},
    {"haste_get", "GET", "/documents/{link}", HasteGet, nullptr,
     "haste-server: {\"data\", \"key\"}"},
    {"burn", "POST", "/burn/{link}", BurnFromPage, Always,
     "a burn-after-reading paste's one reading, as a page (the button browsers get first)"},
    {"raw_prefixed", "GET", "/raw/{link}", GetPasteRaw, nullptr, "a paste's raw bytes"},
    {"share_prefixed", "GET", "/share/{link}", GetPasteRaw, nullptr, "a paste's raw bytes"},
    {"raw_paste", "GET", "/{link}", ViewPaste, nullptr,
     "a paste: raw bytes, or the HTML view for browsers; a short link redirects"},
};

// True when path matches pattern segment by segment; "{link}" matches one
// non-empty segment and is captured into params.
bool PathMatches(std::string_view pattern, std::string_view path,
                 std::vector<std::string>* params) {
  params->clear();
  for (;;) {
    if (pattern.empty() || path.empty()) return pattern.empty() && path.empty();
    if (pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    size_t ps = pattern.find('/'), qs = path.find('/');
    std::string_view want = pattern.substr(0, ps), got = path.substr(0, qs);
    if (want == "{link}") {
      if (got.empty()) return false;
      params->emplace_back(got);
    } else if (want != got) {
      return false;
    }
    pattern = ps == std::string_view::npos ? std::string_view() : pattern.substr(ps);
    path = qs == std::string_view::npos ? std::string_view() : path.substr(qs);
  }
}

}  // namespace

const std::vector<Route>& Routes() { return kRoutes; }

void SendJson(HttpResponse& res, int http_status, std::string json) {
  res.status = http_status;
  res.SetContent(std::move(json), "application/json");
}

void SendError(HttpResponse& res, const Status& status) {
  Status told = PublicError(status);
  SendJson(res, told.http_status(), ErrorJson(told));
  // Unavailable (a store that is away, say): when to ask again.
  if (told.http_status() == 503) {
    bool has = false;
    for (const auto& [name, value] : res.headers)
      has = has || EqualsIgnoreCase(name, "Retry-After");
    if (!has) res.SetHeader("Retry-After", "2");
  }
}

int MatchRoute(HttpRequest& req, std::string* allowed) {
  std::string_view method = req.method;
  if (method == "HEAD") method = "GET";
  allowed->clear();
  for (size_t i = 0; i < kRoutes.size(); ++i) {
    std::vector<std::string> params;
    if (!PathMatches(kRoutes[i].path, req.path, &params)) continue;
    if (method == kRoutes[i].method) {
      req.path_params = std::move(params);
      req.route = static_cast<int>(i);
      return req.route;
    }
    if (allowed->find(kRoutes[i].method) == std::string::npos) {
      if (!allowed->empty()) *allowed += ", ";
      *allowed += kRoutes[i].method;
      if (std::string_view(kRoutes[i].method) == "GET") *allowed += ", HEAD";
    }
  }
  return -1;
}

}  // namespace pastebin
