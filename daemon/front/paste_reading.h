// PasteReading: the one way routes read a paste for an answer, and the one
// burn-on-read path. A read that misses the cache on the event loop is
// handed to a reader (res.would_block). A burn-after-reading paste is given
// out once, and only when asked for outright — a POST (the page's button,
// POST /burn/X) or ?burn=yes (pastebin get, an API client that means it):
// a HEAD only looks, a browser is asked first where a page can ask, and
// any other fetch (a link preview, a prefetch, a crawler) gets a notice
// (409) and leaves it be. Of two that ask at once, the store's delete
// decides who gets it.
#ifndef PASTEBIN_DAEMON_FRONT_PASTE_READING_H_
#define PASTEBIN_DAEMON_FRONT_PASTE_READING_H_

#include <memory>
#include <string_view>

#include "daemon/front/answer.h"
#include "daemon/http/http_message.h"
#include "daemon/paste_service.h"

namespace pastebin {

// What a burn-after-reading paste does for a browser (Accept: text/html)
// that did not ask for it outright.
enum class BrowserBurn {
  kAsk,     // a page asking first, whose button posts to /burn/X
  kNotice,  // the notice every other fetch gets (an API's client)
};

class PasteReading {
 public:
  explicit PasteReading(PasteService& pastes) : pastes_(pastes) {}

  // The paste or short link shortlink names; nullptr once res is answered:
  // an error in dialect, or res.would_block when it is not cached and req
  // runs on the event loop (the server runs req again on a reader).
  std::shared_ptr<const StoredPaste> Find(const HttpRequest& req, std::string_view shortlink,
                                          Dialect dialect, HttpResponse& res) const;

  // A paste that does not burn comes back as it is. A burn-after-reading
  // one: a HEAD gets its length only (no reading); a request that asks for
  // it outright (ReadsOutright) takes it — on the event loop,
  // res.would_block first (a delete is a worker's job) — and its last copy
  // comes back, never to be cached (res says no-store, and X-Burned: yes,
  // telling its reader that it is gone now); a browser gets the
  // asking page if browsers is kAsk; anyone else the notice, in dialect.
  // nullptr once res is answered.
  std::shared_ptr<const StoredPaste> TakeIfBurning(const HttpRequest& req,
                                                   std::shared_ptr<const StoredPaste> paste,
                                                   BrowserBurn browsers, Dialect dialect,
                                                   HttpResponse& res) const;

  // The explicit reading (the asking page's button): see PasteService::Burn.
  Result<std::shared_ptr<const StoredPaste>> Burn(std::string_view shortlink) const {
    return pastes_.Burn(shortlink);
  }

 private:
  PasteService& pastes_;
};

// True when req asks for a burn-after-reading paste outright: a POST, or
// ?burn=yes (or 1, true, on).
bool ReadsOutright(const HttpRequest& req);

// The raw bytes of a paste that just burned: no validators, no ranges, no
// copies kept anywhere.
void SendBurned(const StoredPaste& paste, HttpResponse& res);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_FRONT_PASTE_READING_H_
