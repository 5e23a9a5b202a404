// A paste's bytes as an HTTP answer, the way browsers, CDNs and resuming
// downloads expect: validators (ETag from the content digest,
// Last-Modified from the creation time), freshness that never outlives
// the paste's expiry, 304 for conditional requests, single byte ranges
// (206/416) and content codings (zstd from the stored bytes, gzip made
// on demand).
#ifndef PASTEBIN_DAEMON_FRONT_PASTE_ANSWER_H_
#define PASTEBIN_DAEMON_FRONT_PASTE_ANSWER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "daemon/http/http_message.h"
#include "daemon/paste_cache.h"

namespace pastebin {

struct CachePolicy {
  int64_t now = 0;      // seconds since the epoch
  int64_t max_age = 0;  // the max_age setting
  // False for an answer built on the Host the client asked (its links, its
  // QR code, without public_url): only the client's own cache may keep it,
  // or one forged Host through a shared cache would reach every visitor.
  bool shared = true;
};

// The policy as of now, for handler groups that answer with pastes.
struct Freshness {
  const Clock& clock;
  int64_t max_age;  // the max_age setting
  CachePolicy Now() const { return {clock.NowSeconds(), max_age}; }
};

// Fills in paste's ETag and Last-Modified (StoredPaste::etag,
// last_modified) once, as it is loaded (PasteService's load hook), so that
// hits do not make them again.
void AddValidators(StoredPaste& paste);

// The Cache-Control value for paste answered at policy.now: public (or,
// for an answer that is not policy.shared, private) for at most max_age
// seconds, and never past the paste's expiry.
std::string CacheControlFor(const PasteRecord& paste, const CachePolicy& policy);

// Sets ETag (etag), Last-Modified and Cache-Control on res, and answers 304
// (returning true) when req's If-None-Match names etag or, without
// If-None-Match, its If-Modified-Since is no earlier than the paste.
bool AnswerIfNotModified(const HttpRequest& req, const StoredPaste& paste, const std::string& etag,
                         const CachePolicy& policy, HttpResponse& res);

// Answers a paste's raw bytes (text/plain): 304, 206 or 416 for a Range
// (with If-Range), the zstd bytes as stored or gzip (up to kMaxGzipBytes)
// when the client accepts them and the body compressed, else the bytes as
// they are.
// Returns false, changing nothing, when on an event loop (req.may_block
// false) a gzip copy would have to be made first: ask again on a worker.
// A whole body is sent from the paste's own bytes (shared, not copied).
bool AnswerRaw(const HttpRequest& req, const std::shared_ptr<const StoredPaste>& stored,
               const CachePolicy& policy, HttpResponse& res);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_FRONT_PASTE_ANSWER_H_
