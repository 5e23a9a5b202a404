#include "common/shortlink.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace pastebin {
namespace {

constexpr unsigned kAlphabetSize = sizeof(kShortlinkAlphabet) - 1;  // 62
// The largest multiple of 62 that fits a byte: bytes below it map uniformly.
constexpr unsigned kRejectFrom = 256 / kAlphabetSize * kAlphabetSize;  // 248

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

bool IsValidShortlink(std::string_view s) {
  if (s.size() < kMinShortlinkLength || s.size() > kMaxShortlinkLength) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-' && c != '+') return false;
  }
  return true;
}

bool IsReservedShortlink(std::string_view s) {
  // Names of pasted's own routes that read like links; "favicon" and
  // "robots" too, since favicon.ico and robots.txt read like pastes with a
  // language extension.
  static constexpr std::string_view kReserved[] = {"healthz", "metrics", "readyz", "favicon",
                                                   "robots"};
  for (std::string_view r : kReserved) {
    if (s == r) return true;
  }
  return false;
}

Result<std::string> GenerateShortlink(Random& random, size_t length) {
  length = std::clamp(length, kShortlinkLength, kMaxShortlinkLength);
  std::string out;
  out.reserve(length);
  uint8_t buf[16];
  // 248/256 of bytes are accepted, so one buffer nearly always suffices.
  while (out.size() < length || IsReservedShortlink(out)) {
    if (out.size() == length) out.clear();
    if (!random.Fill(buf, sizeof(buf))) {
      return Status(Code::kUnavailable, "the random number generator failed; try again");
    }
    for (uint8_t b : buf) {
      if (b >= kRejectFrom) continue;
      out.push_back(kShortlinkAlphabet[b % kAlphabetSize]);
      if (out.size() == length) break;
    }
  }
  return out;
}

bool IsLanguageName(std::string_view name) {
  if (name.empty() || name.size() > 20) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '#' ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::pair<std::string_view, std::string_view> SplitLanguage(std::string_view segment) {
  size_t dot = segment.find('.');
  if (dot == std::string_view::npos || !IsLanguageName(segment.substr(dot + 1))) {
    return {segment, std::string_view()};
  }
  return {segment.substr(0, dot), segment.substr(dot + 1)};
}

bool IsLineAnchor(std::string_view part) {
  // L3, or a range: L3-L7 (or L3-7).
  auto digits = [](std::string_view d) {
    return !d.empty() && d.size() <= 9 && d.find_first_not_of("0123456789") == std::string::npos;
  };
  if (part.size() < 2 || part[0] != 'L') return false;
  part.remove_prefix(1);
  size_t dash = part.find('-');
  if (dash == std::string_view::npos) return digits(part);
  std::string_view end = part.substr(dash + 1);
  if (!end.empty() && end[0] == 'L') end.remove_prefix(1);
  return digits(part.substr(0, dash)) && digits(end);
}

std::string KeyOfFragment(std::string_view fragment) {
  std::string key;
  while (!fragment.empty()) {
    size_t amp = fragment.find('&');
    std::string_view part = fragment.substr(0, amp);
    fragment = amp == std::string_view::npos ? std::string_view() : fragment.substr(amp + 1);
    if (part.empty() || IsLineAnchor(part) || part.substr(0, 6) == "token=") continue;
    if (!key.empty()) key += '&';
    key += part;
  }
  return key;
}

std::string TokenOfFragment(std::string_view fragment) {
  while (!fragment.empty()) {
    size_t amp = fragment.find('&');
    std::string_view part = fragment.substr(0, amp);
    fragment = amp == std::string_view::npos ? std::string_view() : fragment.substr(amp + 1);
    if (part.substr(0, 6) == "token=") return std::string(part.substr(6));
  }
  return "";
}

// "host", "host:port", "1.2.3.4:8077": what a URL typed without its
// scheme starts with.
bool LooksLikeHost(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.find("..") != std::string_view::npos) return false;
  size_t colon = s.find(':');
  std::string_view host = s.substr(0, colon);
  if (host.empty()) return false;
  for (char c : host) {
    if (!IsAlnum(c) && c != '.' && c != '-') return false;
  }
  if (colon == std::string_view::npos) return true;
  std::string_view port = s.substr(colon + 1);
  return !port.empty() && port.size() <= 5 &&
         port.find_first_not_of("0123456789") == std::string_view::npos;
}

Result<PasteRef> ParsePasteRef(std::string_view input) {
  PasteRef ref;
  // Spaces (and a line end) a copy and paste brought along are not part
  // of the link.
  while (!input.empty() && isspace(static_cast<unsigned char>(input.front()))) {
    input.remove_prefix(1);
  }
  while (!input.empty() && isspace(static_cast<unsigned char>(input.back()))) {
    input.remove_suffix(1);
  }
  // A URL without its scheme (paste.example.org/Ab3dE9x): http.
  std::string with_scheme;
  if (input.find("://") == std::string_view::npos) {
    size_t slash = input.find('/');
    if (slash != std::string_view::npos && LooksLikeHost(input.substr(0, slash))) {
      with_scheme = "http://" + std::string(input);
    }
  }
  std::string_view s = with_scheme.empty() ? input : std::string_view(with_scheme);
  if (size_t hash = s.find('#'); hash != std::string_view::npos) {
    ref.fragment = KeyOfFragment(s.substr(hash + 1));
    ref.token = TokenOfFragment(s.substr(hash + 1));
    s = s.substr(0, hash);
  }
  size_t scheme = s.find("://");
  if (scheme != std::string_view::npos) {
    size_t cut = s.find_first_of("?#");
    if (cut != std::string_view::npos) s = s.substr(0, cut);
    while (!s.empty() && s.back() == '/') s.remove_suffix(1);
    size_t last = s.rfind('/');
    if (last == std::string_view::npos || last < scheme + 3) {
      s = std::string_view();  // no path: "http://host"
    } else {
      ref.base = std::string(s.substr(0, last));
      s = s.substr(last + 1);
      // A page's own route before the link (/raw/X, /created/X, ...) is
      // not part of the server's address.
      for (std::string_view route :
           {"/raw", "/share", "/dl", "/created", "/burn", "/show", "/documents"}) {
        size_t n = route.size();
        if (ref.base.size() > n && ref.base.compare(ref.base.size() - n, n, route) == 0 &&
            ref.base.size() - n > scheme + 3) {
          ref.base.resize(ref.base.size() - n);
          break;
        }
      }
    }
  }
  // A language extension (Ab3dE9x.py, haste's habit) names the same paste.
  if (size_t dot = s.find('.');
      dot != std::string_view::npos && IsLanguageName(s.substr(dot + 1))) {
    s = s.substr(0, dot);
  }
  if (!IsValidShortlink(s)) {
    return InvalidArgument("'" + std::string(input) +
                           "' is not a paste link: expected 6 to 16 letters and "
                           "digits (e.g. Ab3dE9x) or a URL ending in one");
  }
  ref.shortlink = std::string(s);
  return ref;
}

}  // namespace pastebin
