// WebPages: the routes a browser follows — the form, a paste's page (or its
// raw bytes to anyone else), raw links, the button of a burn-after-reading
// paste, and the pages' assets. Errors in pasted's JSON, or as a page for a
// browser (answer.h).
#ifndef PASTEBIN_DAEMON_WEB_PAGE_ROUTES_H_
#define PASTEBIN_DAEMON_WEB_PAGE_ROUTES_H_

#include "daemon/base/memory_budget.h"
#include "daemon/front/links.h"
#include "daemon/front/paste_answer.h"
#include "daemon/front/paste_reading.h"
#include "daemon/http/http_message.h"
#include "daemon/paste_service.h"

namespace pastebin {

// Charges a page of contents (PageBytesBound) to budget for as long as
// charge lives, which should be until the page is made; kUnavailable when
// there is no room for it now.
Status ChargeForPage(MemoryCharge& charge, std::string_view contents);

class WebPages {
 public:
  // None owned; all must outlive the group. pages: what pages draw on
  // while they are made (the answer budget).
  WebPages(const PasteReading& reading, const Links& links, const PasteLimits& limits,
           Freshness freshness, MemoryBudget& pages)
      : reading_(reading), links_(links), limits_(limits), freshness_(freshness), pages_(pages) {}

  // GET /: the form to a browser (the server's limits and default expiry),
  // a usage note to a terminal.
  void Home(const HttpRequest& req, HttpResponse& res);
  // GET /X (and /X.py): a short link redirects; a paste is its page to a
  // browser, its raw bytes to everyone else (and with ?raw).
  void ViewPaste(const HttpRequest& req, HttpResponse& res);
  // GET /created/X: where the form's answer leads a browser (303), the
  // delete token in the address's fragment: the created page. Looks only:
  // a burn-after-reading paste is not read, and no visit is counted.
  void Created(const HttpRequest& req, HttpResponse& res);
  // GET /raw/X, /share/X, /dl/X: always the raw bytes (or a short link's
  // redirect).
  void RawPaste(const HttpRequest& req, HttpResponse& res);
  // GET /raw.php?i=X (pastebin.com's raw link, pastebin-js's getPaste): as
  // RawPaste.
  void RawPhp(const HttpRequest& req, HttpResponse& res);
  // POST /burn/X: a burn-after-reading paste's one reading, asked for
  // outright: a page for a browser (the asking page's button), the raw
  // bytes for anyone else; a paste that does not burn is sent to its page.
  void Burn(const HttpRequest& req, HttpResponse& res);
  // GET /static/NAME, /robots.txt, /favicon.ico.
  void Static(const HttpRequest& req, HttpResponse& res);
  void Robots(const HttpRequest& req, HttpResponse& res);
  void Favicon(const HttpRequest& req, HttpResponse& res);

 private:
  // True when paste's page is too big to be made on the event loop: then
  // res.would_block is set, and req runs again on a reader.
  bool PageWaits(const HttpRequest& req, const StoredPaste& paste, HttpResponse& res) const;
  // The language a page shows paste in: ?lang=, else the link's
  // extension, else the creator's.
  static std::string LanguageFor(const HttpRequest& req, std::string_view extension,
                                 const StoredPaste& paste);
  // RawPaste and RawPhp for link.
  void SendRawOf(const HttpRequest& req, std::string_view link, HttpResponse& res);
  // The raw bytes (caching headers, ranges, codings), or res.would_block
  // when a gzip copy must be made first (a worker's job).
  void SendRaw(const HttpRequest& req, const std::shared_ptr<const StoredPaste>& paste,
               HttpResponse& res) const;

  const PasteReading& reading_;
  const Links& links_;
  const PasteLimits& limits_;
  Freshness freshness_;
  MemoryBudget& pages_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_WEB_PAGE_ROUTES_H_
