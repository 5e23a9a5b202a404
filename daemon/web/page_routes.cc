#include "daemon/web/page_routes.h"

#include "common/shortlink.h"
#include "daemon/front/answer.h"
#include "daemon/http/http_caching.h"
#include "daemon/pages/assets.h"
#include "daemon/pages/pages.h"

namespace pastebin {
namespace {

// A short link's answer: a redirect to its target (a visit, too).
void Redirect(const StoredPaste& link, HttpResponse& res) {
  res.status = 302;
  res.SetHeader("Location", *link.record.link_target);
  res.SetHeader("Cache-Control", "private, max-age=0");
  res.SetContent("Redirecting to " + *link.record.link_target + "\n", "text/plain; charset=utf-8");
}

// A compiled-in file that never changes while pasted runs.
void SendFixed(std::string_view bytes, std::string_view type, HttpResponse& res) {
  res.status = 200;
  res.SetHeader("Cache-Control", "public, max-age=86400");
  res.SetContent(std::string(bytes), type);
}

}  // namespace

void WebPages::SendRaw(const HttpRequest& req, const StoredPaste& paste, HttpResponse& res) const {
  // False: a gzip copy is to be made, which is a worker's job.
  if (!AnswerRaw(req, paste, freshness_.Now(), res)) res.would_block = true;
}

void WebPages::ViewPaste(const HttpRequest& req, HttpResponse& res) {
  // X.py: the same paste, shown as Python (raw bytes stay raw).
  auto [shortlink, extension] = SplitLanguage(req.path_params[0]);
  auto paste = reading_.Find(req, shortlink, Dialect::kJson, res);
  if (!paste) return;
  if (paste->record.link_target) return Redirect(*paste, res);
  if (paste->record.burn_after_reading) {
    BrowserBurn ask = req.HasParam("raw") ? BrowserBurn::kTake : BrowserBurn::kAsk;
    paste = reading_.TakeIfBurning(req, std::move(paste), ask, Dialect::kJson, res);
    if (paste) SendBurned(*paste, res);
    return;
  }
  if (!WantsHtml(req)) return SendRaw(req, *paste, res);
  SetPageHeaders(res);
  res.SetHeader("Vary", "Accept, Accept-Encoding");
  std::string etag = EntityTag(paste->record.content_hash, ".html");
  if (AnswerIfNotModified(req, *paste, etag, freshness_.Now(), res)) return;
  res.status = 200;
  // The language: ?lang=, else the link's extension, else the creator's.
  std::string language = req.HasParam("lang") && IsLanguageName(req.Param("lang"))
                             ? req.Param("lang")
                         : !extension.empty() ? std::string(extension)
                                              : paste->record.language;
  res.SetContent(PastePage(*paste, links_.Of(req, paste->record.shortlink), false, language),
                 "text/html; charset=utf-8");
}

void WebPages::RawPaste(const HttpRequest& req, HttpResponse& res) {
  auto paste = reading_.Find(req, SplitLanguage(req.path_params[0]).first, Dialect::kJson, res);
  if (!paste) return;
  if (paste->record.link_target) return Redirect(*paste, res);
  if (paste->record.burn_after_reading) {
    paste = reading_.TakeIfBurning(req, std::move(paste), BrowserBurn::kAsk, Dialect::kJson, res);
    if (paste) SendBurned(*paste, res);
    return;
  }
  SendRaw(req, *paste, res);
}

void WebPages::Burn(const HttpRequest& req, HttpResponse& res) {
  auto paste = reading_.Find(req, req.path_params[0], Dialect::kJson, res);
  if (!paste) return;
  if (!paste->record.burn_after_reading) {
    res.status = 303;
    res.SetHeader("Location", "/" + paste->record.shortlink);
    return;
  }
  auto taken = reading_.Burn(paste->record.shortlink);
  if (!taken.ok()) return SendError(req, res, taken.status());
  SetPageHeaders(res);
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  res.SetContent(PastePage(**taken, "", /*burned=*/true), "text/html; charset=utf-8");
}

void WebPages::Home(const HttpRequest& req, HttpResponse& res) {
  res.status = 200;
  if (!WantsHtml(req)) {
    return res.SetContent(UsageText(links_.Base(req)), "text/plain; charset=utf-8");
  }
  SetPageHeaders(res);
  res.SetContent(
      HomePage(limits_.max_paste_bytes, limits_.default_expiry_minutes, limits_.max_expiry_minutes),
      "text/html; charset=utf-8");
}

void WebPages::Robots(const HttpRequest&, HttpResponse& res) {
  SendFixed(RobotsTxt(), "text/plain; charset=utf-8", res);
}

void WebPages::Favicon(const HttpRequest&, HttpResponse& res) {
  SendFixed(FaviconIco(), "image/x-icon", res);
}

void WebPages::Static(const HttpRequest& req, HttpResponse& res) {
  std::string_view bytes, type;
  if (!StaticAsset(req.path_params[0], &bytes, &type)) {
    return SendError(req, res, NotFound("no such file: " + req.path));
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

}  // namespace pastebin
