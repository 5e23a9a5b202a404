// The web pages: a form to create a paste and a view of one, for people
// with a browser. Everything is compiled in (no files, no downloads), every
// character of a paste is escaped, and the pages forbid inline scripts, so
// a pasted <script> is shown and never runs.
#ifndef PASTEBIN_DAEMON_WEB_WEB_PAGES_H_
#define PASTEBIN_DAEMON_WEB_WEB_PAGES_H_

#include <string>
#include <string_view>

#include "daemon/http/http_message.h"
#include "daemon/paste_cache.h"

namespace pastebin {

// & < > " ' as entities.
std::string HtmlEscape(std::string_view text);

// True when the client asks for HTML (a browser's Accept) and did not ask
// for the raw bytes with ?raw.
bool WantsHtml(const HttpRequest& req);

// Security headers for a page: a Content-Security-Policy allowing only our
// own stylesheet, script and form target, no framing, no referrer.
void SetPageHeaders(HttpResponse& res);
// For raw pastes shown in a browser: nothing may run or load at all.
void SetRawHeaders(HttpResponse& res);

// The page with the form. max_paste_bytes is shown as the size limit;
// default_expiry is preselected (0 = never).
std::string HomePage(int64_t max_paste_bytes, int64_t default_expiry_minutes,
                     int64_t max_expiry_minutes);
// The page showing one paste: numbered lines (#L10 anchors), highlighted
// as language (else as highlight.js guesses), raw, download, copy and wrap,
// a QR code of url (none when url is empty); burned: its one reading, now
// deleted.
std::string PastePage(const StoredPaste& paste, const std::string& url, bool burned = false,
                      const std::string& language = "");
// What a browser gets first for a burn-after-reading paste: a warning and
// a button that opens it (POST /burn/X).
std::string BurnPage(const std::string& shortlink);
// What GET / answers a terminal: how to paste with curl, pastebin, nc.
std::string UsageText(const std::string& base_url);

// The page a browser gets after creating a paste with the form: its link,
// its delete token with a button that deletes it, and the text.
std::string CreatedPage(const StoredPaste& paste, const std::string& url,
                        const std::string& delete_token);
// After the created page's delete button.
std::string DeletedPage(const std::string& shortlink);
// Any error, for a browser: what went wrong (message: the error JSON's, or
// a text answer's) and a way on.
std::string ErrorPage(int http_status, const std::string& message);
// True when a browser asks (its Accept names text/html): errors get
// ErrorPage instead of JSON.
bool AcceptsHtml(const HttpRequest& req);

// GET /robots.txt: crawlers may see the front page and nothing else.
std::string_view RobotsTxt();
// GET /favicon.ico: a 16x16 icon (an ICO file, drawn at start-up).
std::string_view FaviconIco();

// A compiled-in asset by name ("app.css", "app.js"): its bytes and type;
// false if there is none.
bool StaticAsset(std::string_view name, std::string_view* bytes, std::string_view* type);
// The asset gzipped, for the ones over 1 KB ("" for the others and unknown
// names): all compressed once, by the first caller.
std::string_view GzippedAsset(std::string_view name);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_WEB_WEB_PAGES_H_
