#include "daemon/web/page_routes.h"

#include "common/shortlink.h"
#include "daemon/front/answer.h"
#include "daemon/http/http_caching.h"
#include "daemon/pages/assets.h"
#include "daemon/pages/pages.h"
#include "daemon/store/body_codec.h"

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

// A page for a browser, gzipped for one that takes gzip: markup and
// escaped text shrink to a fifth or less. Pages under 1 KiB go as they are.
// charge, when the page was charged to the answer budget, grows to hold
// the compressed copy beside it while it is made; without room for that,
// the page goes uncompressed.
void SetHtml(const HttpRequest& req, std::string html, HttpResponse& res,
             MemoryCharge* charge = nullptr) {
  if (html.size() >= 1024 && AcceptsCoding(req.Header("Accept-Encoding"), "gzip") &&
      (!charge || charge->GrowTo(charge->bytes() + html.size() + html.size() / 8 + 1024))) {
    res.SetHeader("Content-Encoding", "gzip");
    html = GzipCompress(html, html.size() > (256 << 10) ? 1 : 6);
  }
  res.SetContent(std::move(html), "text/html; charset=utf-8");
}

// Pastes whose page is made on the event loop: small ones, whose page is
// small too. The rest are a reader's job.
constexpr size_t kPageOnLoopBytes = 64 << 10;

}  // namespace

Status ChargeForPage(MemoryCharge& charge, std::string_view contents) {
  if (charge.GrowTo(PageBytesBound(contents))) return Status::Ok();
  return Status(Code::kUnavailable,
                "the server is making too many large pages at once; try "
                "again shortly, or fetch the raw text (?raw)");
}

void WebPages::SendRaw(const HttpRequest& req, const std::shared_ptr<const StoredPaste>& paste,
                       HttpResponse& res) const {
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
    // ?raw: the client wants the bytes, not a page asking first.
    BrowserBurn ask = req.HasParam("raw") ? BrowserBurn::kNotice : BrowserBurn::kAsk;
    paste = reading_.TakeIfBurning(req, std::move(paste), ask, Dialect::kJson, res);
    if (paste) SendBurned(*paste, res);
    return;
  }
  if (!WantsHtml(req)) return SendRaw(req, paste, res);
  if (PageWaits(req, *paste, res)) return;
  SetPageHeaders(res);
  res.SetHeader("Vary", "Accept, Accept-Encoding");
  bool gzipped = AcceptsCoding(req.Header("Accept-Encoding"), "gzip");
  std::string etag = EntityTag(paste->record.content_hash, gzipped ? ".html.gz" : ".html");
  CachePolicy policy = freshness_.Now();
  policy.shared = !links_.FollowHost();  // its link and QR code follow Host
  if (AnswerIfNotModified(req, *paste, etag, policy, res)) return;
  MemoryCharge charge(pages_);
  Status room = ChargeForPage(charge, paste->contents);
  if (!room.ok()) return SendError(req, res, room);
  res.status = 200;
  SetHtml(req,
          PastePage(*paste, links_.Of(req, paste->record.shortlink), false,
                    LanguageFor(req, extension, *paste)),
          res, &charge);
}

bool WebPages::PageWaits(const HttpRequest& req, const StoredPaste& paste,
                         HttpResponse& res) const {
  if (req.may_block || (paste.contents.size() <= kPageOnLoopBytes &&
                        PageBytesBound(paste.contents) <= kPageOnLoopBytes)) {
    return false;
  }
  res.would_block = true;  // a big page is made off the loop
  return true;
}

std::string WebPages::LanguageFor(const HttpRequest& req, std::string_view extension,
                                  const StoredPaste& paste) {
  if (req.HasParam("lang") && IsLanguageName(req.Param("lang"))) return req.Param("lang");
  return !extension.empty() ? std::string(extension) : paste.record.language;
}

void WebPages::Created(const HttpRequest& req, HttpResponse& res) {
  auto paste = reading_.Find(req, req.path_params[0], Dialect::kJson, res);
  if (!paste) return;
  if (paste->record.link_target) return Redirect(*paste, res);
  // A burn-after-reading paste's page shows no text: nothing to make.
  if (!paste->record.burn_after_reading && PageWaits(req, *paste, res)) return;
  MemoryCharge charge(pages_);
  if (!paste->record.burn_after_reading) {
    Status room = ChargeForPage(charge, paste->contents);
    if (!room.ok()) return SendError(req, res, room);
  }
  SetPageHeaders(res);
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("Vary", "Accept-Encoding");
  SetHtml(
      req,
      CreatedPage(*paste, links_.Of(req, paste->record.shortlink), LanguageFor(req, "", *paste)),
      res);
}

void WebPages::RawPaste(const HttpRequest& req, HttpResponse& res) {
  SendRawOf(req, SplitLanguage(req.path_params[0]).first, res);
}

void WebPages::RawPhp(const HttpRequest& req, HttpResponse& res) {
  SendRawOf(req, req.Param("i"), res);
}

void WebPages::SendRawOf(const HttpRequest& req, std::string_view link, HttpResponse& res) {
  auto paste = reading_.Find(req, link, Dialect::kJson, res);
  if (!paste) return;
  if (paste->record.link_target) return Redirect(*paste, res);
  if (paste->record.burn_after_reading) {
    paste = reading_.TakeIfBurning(req, std::move(paste), BrowserBurn::kAsk, Dialect::kJson, res);
    if (paste) SendBurned(*paste, res);
    return;
  }
  SendRaw(req, paste, res);
}

void WebPages::Burn(const HttpRequest& req, HttpResponse& res) {
  auto paste = reading_.Find(req, req.path_params[0], Dialect::kJson, res);
  if (!paste) return;
  if (!paste->record.burn_after_reading) {
    res.status = 303;
    res.SetHeader("Location", "/" + paste->record.shortlink);
    return;
  }
  MemoryCharge charge(pages_);
  if (AcceptsHtml(req)) {
    Status room = ChargeForPage(charge, paste->contents);
    if (!room.ok()) return SendError(req, res, room);  // before it burns
  }
  auto taken = reading_.Burn(paste->record.shortlink);
  if (!taken.ok()) return SendError(req, res, taken.status());
  res.SetHeader("X-Burned", "yes");
  if (!AcceptsHtml(req)) return SendBurned(**taken, res);  // pastebin get, curl -X POST
  SetPageHeaders(res);
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  SetHtml(req, PastePage(**taken, "", /*burned=*/true), res, &charge);
}

void WebPages::Home(const HttpRequest& req, HttpResponse& res) {
  res.status = 200;
  if (!WantsHtml(req)) {
    if (links_.FollowHost()) res.SetHeader("Cache-Control", "private");
    return res.SetContent(UsageText(links_.Base(req)), "text/plain; charset=utf-8");
  }
  SetPageHeaders(res);
  res.SetHeader("Vary", "Accept, Accept-Encoding");
  SetHtml(
      req,
      HomePage(limits_.max_paste_bytes, limits_.default_expiry_minutes, limits_.max_expiry_minutes),
      res);
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
  // The pages ask for ?v=VERSION, which names these very bytes: a year,
  // and never revalidated. Any other address (an old page's, a hand-typed
  // one) an hour.
  bool versioned = req.Param("v") == AssetVersion(req.path_params[0]);
  res.SetHeader("Cache-Control",
                versioned ? "public, max-age=31536000, immutable" : "public, max-age=3600");
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
