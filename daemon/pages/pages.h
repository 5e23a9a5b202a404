// The HTML pages: a form to create a paste, a view of one, and what a
// browser sees after creating, deleting, burning or failing. Templates
// only: pure functions from what to show to the page's text, no requests,
// no stores. Every character of a paste is escaped, and the pages forbid
// inline scripts (SetPageHeaders), so a pasted <script> is shown and never
// runs. The stylesheet, script and icon they load are assets.h's.
#ifndef PASTEBIN_DAEMON_PAGES_PAGES_H_
#define PASTEBIN_DAEMON_PAGES_PAGES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/http/http_message.h"
#include "daemon/paste_cache.h"

namespace pastebin {

// & < > " ' as entities.
std::string HtmlEscape(std::string_view text);

// Security headers for a page: a Content-Security-Policy allowing only our
// own stylesheet, script and form target, no framing, no referrer.
void SetPageHeaders(HttpResponse& res);
// For raw pastes shown in a browser: nothing may run or load at all.
void SetRawHeaders(HttpResponse& res);

// The page with the form. max_paste_bytes is shown as the size limit;
// default_expiry_minutes (the server's effective default, 0 = never) is
// offered and preselected; choices over max_expiry_minutes (0: none) are
// left out, and "never" too when there is a maximum.
std::string HomePage(int64_t max_paste_bytes, int64_t default_expiry_minutes,
                     int64_t max_expiry_minutes);
// Lines numbered as #L anchors, and numbered at all, on a paste's page.
// app.js makes the plain numbers up to 10,000 anchors where it needs them
// (kAnchorMax): ten thousand elements made by the page's parser were 40 %
// of a 1 MB log page's main-thread work.
constexpr size_t kAnchoredLines = 1000;
constexpr size_t kNumberedLines = 100000;
// A longer paste's page holds its text and numbers in blocks of this many
// lines, laid out only near the view. kAnchoredLines is a multiple of it.
// app.js repeats these three (kBlockLines, kAnchored, kNumbered); a test in
// page_routes_test.cc holds them equal.
constexpr size_t kChunkLines = 500;

// At most how many bytes PastePage or CreatedPage makes of contents: its
// escaped text, the line numbers and the page around them. Linear in the
// paste (a paste of '"' escapes to six times its size; one of newlines
// adds at most ~1 MB of numbers). What a page is charged before it is made.
size_t PageBytesBound(std::string_view contents);

// The page showing one paste: numbered lines (the first kAnchoredLines
// #L10 anchors, up to kNumberedLines), highlighted as language (else as
// highlight.js guesses), raw, download, copy, copy link and wrap,
// a QR code of url (none when url is empty); burned: its one reading, now
// deleted.
std::string PastePage(const StoredPaste& paste, const std::string& url, bool burned = false,
                      const std::string& language = "");
// What a browser gets first for a burn-after-reading paste: a warning and
// a button that opens it (POST /burn/X).
std::string BurnPage(const std::string& shortlink);
// What GET / answers a terminal: how to paste with curl, pastebin, nc.
std::string UsageText(const std::string& base_url);

// The page a browser is led to after creating a paste with the form (GET
// /created/X#token=T): its link, its delete token (read by app.js from the
// address's fragment, which no server sees) with a button that deletes it,
// and the paste as its own page shows it, in language — except a
// burn-after-reading paste's text, which is for its one reader.
std::string CreatedPage(const StoredPaste& paste, const std::string& url,
                        const std::string& language);
// After the created page's delete button.
std::string DeletedPage(const std::string& shortlink);
// Any error, for a browser: what went wrong and a way on.
std::string ErrorPage(int http_status, const std::string& message);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_PAGES_PAGES_H_
