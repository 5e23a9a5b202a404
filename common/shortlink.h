// Shortlinks: 7 characters of [A-Za-z0-9] (62^7 ≈ 3.5e12 links) by default,
// up to 16 where a server makes longer ones (link_length). Links brought in
// from other pastebins (pasted import) keep their names: wastebin's are 6
// or 11 characters and use '-' and '+' too, so those are served as well.
#ifndef PASTEBIN_COMMON_SHORTLINK_H_
#define PASTEBIN_COMMON_SHORTLINK_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "common/random.h"
#include "common/status.h"

namespace pastebin {

constexpr size_t kShortlinkLength = 7;      // the default, and the shortest made
constexpr size_t kMinShortlinkLength = 6;   // the shortest served (imported)
constexpr size_t kMaxShortlinkLength = 16;  // the longest a server may make
constexpr char kShortlinkAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// True when s is kMinShortlinkLength to kMaxShortlinkLength characters of
// the alphabet, '-' or '+'. Nothing else is ever looked up, so a valid
// shortlink cannot carry '/', '.' or '%'.
bool IsValidShortlink(std::string_view s);

// Top-level routes that read like links ("healthz", "robots"): never
// handed out as links, never counted as paste visits.
bool IsReservedShortlink(std::string_view s);

// A uniformly distributed shortlink: random bytes are drawn and those that
// would bias a modulo-62 reduction (>= 248) are rejected; a reserved word is
// drawn again; length characters (kShortlinkLength to kMaxShortlinkLength).
// Fails with kUnavailable only if the random source fails.
Result<std::string> GenerateShortlink(Random& random, size_t length = kShortlinkLength);

// What a user typed to name a paste: a bare link ("Ab3dE9x"), or a URL whose
// last path segment is one ("http://host:8077/Ab3dE9x", optionally with a
// query or fragment), in which case base is the URL before that segment
// ("http://host:8077") less a page route of pasted's own before the link
// (/raw/X, /created/X, /dl/X, /share/X, /burn/X, /show/X/, /documents/X).
// A language name as highlighting takes it: a link's extension (py),
// ?lang=, or a paste's stored language. 1-20 of a-z 0-9 + # - _.
bool IsLanguageName(std::string_view name);
// "Ab3dE9x.py" -> {"Ab3dE9x", "py"}; a segment without a language
// extension comes back whole, with an empty language.
std::pair<std::string_view, std::string_view> SplitLanguage(std::string_view segment);

// A line anchor a paste page puts in its fragment: L3, or L3-L7.
bool IsLineAnchor(std::string_view part);
// An encrypted paste's key in a link's fragment, its line anchors and the
// created page's token=T left out: "KEY&L3" and "KEY" → "KEY"; "L3" and
// "token=T" → "" (no key).
std::string KeyOfFragment(std::string_view fragment);
// The delete token in a created page's fragment (token=T&L3 → T); "".
std::string TokenOfFragment(std::string_view fragment);

struct PasteRef {
  std::string base;  // empty for a bare link
  std::string shortlink;
  std::string fragment;  // after '#': an encrypted paste's key (KeyOfFragment); "" if none
  std::string token;     // a created page's #token=T (TokenOfFragment); "" if none
};
// kInvalidArgument, quoting the input and the expected forms, otherwise.
Result<PasteRef> ParsePasteRef(std::string_view input);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_SHORTLINK_H_
