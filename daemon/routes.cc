#include "daemon/routes.h"

namespace pastebin {

HandlerGroups::HandlerGroups(const HandlerDeps& d)
    : reading_(d.pastes),
      pastes_(d.pastes, reading_, d.links, d.freshness),
      stats_(d.pastes, d.rollup, d.stats, d.admin),
      admin_(d.pastes, d.admin, d.metrics, d.start_time),
      health_(d.readiness, d.pastes.limits()),
      web_(reading_, d.links, d.pastes.limits(), d.freshness, d.pages),
      compat_(d.pastes, reading_, d.links),
      pastebin_com_(d.pastes, d.links) {}

std::vector<Route> HandlerGroups::Routes() {
  PasteApi& api = pastes_;
  auto create_blocks = [&api](const HttpRequest& req) { return api.CreatePasteBlocks(req); };
  const BlockingTest loop;  // runs on the event loop
  const BlockingTest worker = AlwaysBlocks;
  const Dialect json = Dialect::kJson, text = Dialect::kText, haste = Dialect::kHaste,
                pastebin_com = Dialect::kPastebinCom;
  const BodyKind none = BodyKind::kNone;
  const Gate creates = Gate::kCreates, looks_up = Gate::kLooksUp;
  // name, method, path, handler, blocking, summary, body, error dialect, limit
  return {
      {"create_paste", "POST", "/api/v1/paste", On(api, &PasteApi::CreatePaste), create_blocks,
       "create a paste from {\"paste_contents\", \"expiration_length_in_minutes\"}",
       BodyKind::kJson, json, creates},
      {"get_paste", "GET", "/api/v1/paste", On(api, &PasteApi::GetPaste), loop,
       "a paste as JSON: ?shortlink=X", none, json, looks_up},
      {"delete_paste", "DELETE", "/api/v1/paste", On(api, &PasteApi::DeletePaste), worker,
       "delete a paste: ?shortlink=X with its X-Delete-Token", none, json, looks_up},
      {"admin_challenge", "GET", "/api/v1/admin/challenge", On(admin_, &AdminApi::Challenge), loop,
       "a nonce for proving admin without sending the token (single use, 60 s)"},
      {"admin_gc", "POST", "/api/v1/admin/gc", On(admin_, &AdminApi::CollectGarbage), worker,
       "delete expired pastes and orphaned bodies now (admin)"},
      {"paste_stats", "GET", "/api/v1/paste/stats", On(stats_, &StatsApi::PasteStats), worker,
       "one paste's visits by month: ?shortlink=X with its X-Delete-Token", none, json, looks_up},
      {"admin_stats", "GET", "/api/v1/admin/stats", On(stats_, &StatsApi::AdminStats), worker,
       "monthly visits: every month, or ?month=YYYY-MM[&top=N] (admin)"},
      {"info", "GET", "/api/v1/info", On(health_, &HealthApi::Info), loop,
       "the server's version, largest paste and expiry limits"},
      {"healthz", "GET", "/healthz", On(health_, &HealthApi::Healthz), loop,
       "200 while the process is up (liveness)"},
      {"readyz", "GET", "/readyz", On(health_, &HealthApi::Readyz), worker,
       "200 when a paste could be stored now, else 503 saying why (for load balancers)"},
      {"metrics", "GET", "/metrics", On(admin_, &AdminApi::MetricsPage), loop,
       "Prometheus metrics (admin)"},
      {"create_link", "POST", "/api/v1/link", On(api, &PasteApi::CreateLink), worker,
       "create a short link from {\"url\", \"expiration_length_in_minutes\"}", BodyKind::kSmall,
       json, creates},
      {"get_link", "GET", "/api/v1/link", On(api, &PasteApi::GetLink), loop,
       "a short link as JSON: ?shortlink=X", none, json, looks_up},
      {"home", "GET", "/", On(web_, &WebPages::Home), loop, "the form (browsers) or a usage note"},
      {"static", "GET", "/static/{link}", On(web_, &WebPages::Static), loop,
       "the pages' stylesheet and script"},
      {"upload", "POST", "/", On(compat_, &CompatHandlers::Upload), worker,
       "raw bytes (curl --data-binary) or multipart (curl -F, 0x0 and sprunge style): the URL "
       "and a newline",
       BodyKind::kUpload, text, creates},
      {"form", "POST", "/form", On(compat_, &CompatHandlers::Form), worker,
       "a url-encoded or multipart form (the web page, pastebinit): the URL and a newline",
       BodyKind::kUpload, text, creates},
      {"form_delete", "POST", "/form/delete", On(compat_, &CompatHandlers::FormDelete), worker,
       "delete a paste from a url-encoded form with shortlink and token (the created page)",
       BodyKind::kSmall, text, looks_up},
      {"robots", "GET", "/robots.txt", On(web_, &WebPages::Robots), loop,
       "keeps crawlers to the front page, off the pastes"},
      {"favicon", "GET", "/favicon.ico", On(web_, &WebPages::Favicon), loop, "the pages' icon"},
      {"haste_create", "POST", "/documents", On(compat_, &CompatHandlers::HasteCreate), worker,
       "haste-server: a raw body in, {\"key\"} out", BodyKind::kRaw, haste, creates},
      {"haste_get", "GET", "/documents/{link}", On(compat_, &CompatHandlers::HasteGet), loop,
       "haste-server: {\"data\", \"key\"}", none, haste, looks_up},
      {"dpaste_create", "POST", "/api/v2/", On(compat_, &CompatHandlers::DpasteCreate), worker,
       "dpaste.com's API v2: content (syntax, expiry_days, title, poster) in a form; the URL",
       BodyKind::kUpload, text, creates},
      {"stikked_create", "POST", "/api/create", On(compat_, &CompatHandlers::StikkedCreate), worker,
       "Stikked's API: text (lang, expire minutes, title, name) in a form; the URL",
       BodyKind::kUpload, text, creates},
      {"submit_php", "POST", "/submit.php", On(compat_, &CompatHandlers::SubmitPhp), worker,
       "p.defau.lt's form (pastebinit): code in a url-encoded form; 303 to the paste",
       BodyKind::kUpload, text, creates},
      {"lodgeit_new_paste", "POST", "/json/", On(compat_, &CompatHandlers::LodgeitNewPaste), worker,
       "LodgeIt's JSON-RPC (pastebinit's paste.opendev.org): ?method=pastes.newPaste with "
       "{\"code\", \"language\"}; {\"data\": KEY, \"error\": null}",
       BodyKind::kJson, json, creates},
      {"lodgeit_show", "GET", "/show/{link}/", On(web_, &WebPages::ViewPaste), loop,
       "LodgeIt's paste link: as /X", none, json, looks_up},
      {"pastebin_com_post", "POST", "/api/api_post.php", On(pastebin_com_, &PastebinComApi::Post),
       worker,
       "pastebin.com's API: api_option paste (api_paste_code, ...) or delete; the URL, or "
       "'Bad API request, ...'",
       BodyKind::kUpload, pastebin_com, creates},
      {"pastebin_com_get", "GET", "/api/api_post.php", On(pastebin_com_, &PastebinComApi::Get),
       loop, "pastebin.com's API asked with GET: 405", none, pastebin_com},
      {"pastebin_com_login", "POST", "/api/api_login.php",
       On(pastebin_com_, &PastebinComApi::Login), loop,
       "pastebin.com's login: 403, there are no accounts", BodyKind::kSmall, pastebin_com},
      {"pastebin_com_user_raw", "POST", "/api/api_raw.php",
       On(pastebin_com_, &PastebinComApi::UserRaw), loop,
       "pastebin.com's raw pastes of a user: 403, there are no accounts", BodyKind::kSmall,
       pastebin_com},
      {"pastebin_com_raw", "GET", "/raw.php", On(web_, &WebPages::RawPhp), loop,
       "pastebin.com's raw link: ?i=X, the raw bytes", none, json, looks_up},
      {"burn", "POST", "/burn/{link}", On(web_, &WebPages::Burn), worker,
       "a burn-after-reading paste's one reading, asked for outright: a page for browsers (the "
       "button they get first), the raw bytes for anyone else",
       none, json, looks_up},
      {"created", "GET", "/created/{link}", On(web_, &WebPages::Created), loop,
       "the page the form leads a browser to: the new paste's link, its delete token (from the "
       "address's #token=) and a button that deletes it",
       none, json, looks_up},
      {"raw_prefixed", "GET", "/raw/{link}", On(web_, &WebPages::RawPaste), loop,
       "a paste's raw bytes", none, json, looks_up},
      {"share_prefixed", "GET", "/share/{link}", On(web_, &WebPages::RawPaste), loop,
       "a paste's raw bytes", none, json, looks_up},
      {"download_prefixed", "GET", "/dl/{link}", On(web_, &WebPages::RawPaste), loop,
       "a paste's raw bytes (wastebin's download links)", none, json, looks_up},
      {"raw_paste", "GET", "/{link}", On(web_, &WebPages::ViewPaste), loop,
       "a paste: raw bytes, or the HTML view for browsers; a short link redirects", none, json,
       looks_up},
  };
}

}  // namespace pastebin
