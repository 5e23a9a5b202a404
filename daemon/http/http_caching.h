// What HTTP caches and resuming clients need from a paste's answer: entity
// tags, dates, conditional requests (RFC 9110 §13), byte ranges (§14) and
// content codings (§8.4). Pure functions; the routes decide what to send.
#ifndef PASTEBIN_DAEMON_HTTP_HTTP_CACHING_H_
#define PASTEBIN_DAEMON_HTTP_HTTP_CACHING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pastebin {

// A strong entity tag for digest: "\"<32 hex digits><suffix>\"". suffix
// tells representations of the same bytes apart (the HTML view, a
// compressed coding).
std::string EntityTag(std::string_view digest, std::string_view suffix = "");

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for seconds since the
// epoch.
std::string FormatHttpDate(int64_t epoch_seconds);

// Seconds since the epoch for an HTTP-date in any of the three forms a
// recipient must accept (IMF-fixdate, RFC 850, asctime); nullopt for
// anything else.
std::optional<int64_t> ParseHttpDate(std::string_view text);

// True when an If-None-Match field value names etag (weak comparison: a
// W/ prefix is ignored) or is "*".
bool NoneMatch(std::string_view if_none_match, std::string_view etag);

// True when a client's Accept-Encoding accepts coding with a q-value above
// zero, named or through "*". An empty field accepts nothing but identity.
bool AcceptsCoding(std::string_view accept_encoding, std::string_view coding);

// What a Range field asks of a body of `size` bytes. Only one range of
// bytes is served; a field with several, or one that does not parse, is
// ignored (the whole body is sent), as RFC 9110 allows.
struct RangeRequest {
  enum Kind { kWhole, kPart, kUnsatisfiable } kind = kWhole;
  int64_t first = 0;  // of kPart: first and last byte offsets, inclusive
  int64_t last = 0;
};
RangeRequest ParseRange(std::string_view range, int64_t size);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_HTTP_CACHING_H_
