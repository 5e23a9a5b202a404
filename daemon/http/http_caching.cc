#include "daemon/http/http_caching.h"

#include <time.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include "common/strings.h"
#include "daemon/http/http_message.h"

namespace pastebin {
namespace {

constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 7> kLongDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                  "Thursday", "Friday", "Saturday"};

// Reads what a date is made of from the front of a string_view.
class DateReader {
 public:
  explicit DateReader(std::string_view s) : s_(s) {}
  bool Literal(std::string_view want) {
    if (s_.substr(0, want.size()) != want) return false;
    s_.remove_prefix(want.size());
    return true;
  }
  // Exactly n digits (a leading space stands for a zero when space_pad).
  bool Digits(size_t n, int* out, bool space_pad = false) {
    if (s_.size() < n) return false;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
      char c = s_[i];
      if (space_pad && i == 0 && c == ' ') c = '0';
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    s_.remove_prefix(n);
    *out = v;
    return true;
  }
  bool Month(int* out) {
    for (size_t i = 0; i < kMonths.size(); ++i) {
      if (Literal(kMonths[i])) {
        *out = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }
  // "HH:MM:SS"
  bool Time(struct tm* tm) {
    return Digits(2, &tm->tm_hour) && Literal(":") && Digits(2, &tm->tm_min) && Literal(":") &&
           Digits(2, &tm->tm_sec);
  }
  bool Done() const { return s_.empty(); }

 private:
  std::string_view s_;
};

std::optional<int64_t> ToEpoch(struct tm tm) {
  if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  int year = tm.tm_year + 1900;
  int mday = tm.tm_mday, mon = tm.tm_mon;
  time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1)) return std::nullopt;
  // timegm normalises 31 Feb to 3 Mar: such a date is not a date.
  if (tm.tm_year + 1900 != year || tm.tm_mon != mon || tm.tm_mday != mday) return std::nullopt;
  return static_cast<int64_t>(t);
}

std::optional<int64_t> ParseImfFixdate(std::string_view s) {
  // Sun, 06 Nov 1994 08:49:37 GMT
  struct tm tm {};
  DateReader r(s);
  bool day = false;
  for (const char* d : kDays) day = day || r.Literal(d);
  int year = 0;
  if (!day || !r.Literal(", ") || !r.Digits(2, &tm.tm_mday) || !r.Literal(" ") ||
      !r.Month(&tm.tm_mon) || !r.Literal(" ") || !r.Digits(4, &year) || !r.Literal(" ") ||
      !r.Time(&tm) || !r.Literal(" GMT") || !r.Done()) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  return ToEpoch(tm);
}

std::optional<int64_t> ParseRfc850(std::string_view s) {
  // Sunday, 06-Nov-94 08:49:37 GMT
  struct tm tm {};
  DateReader r(s);
  bool day = false;
  for (const char* d : kLongDays) day = day || r.Literal(d);
  int yy = 0;
  if (!day || !r.Literal(", ") || !r.Digits(2, &tm.tm_mday) || !r.Literal("-") ||
      !r.Month(&tm.tm_mon) || !r.Literal("-") || !r.Digits(2, &yy) || !r.Literal(" ") ||
      !r.Time(&tm) || !r.Literal(" GMT") || !r.Done()) {
    return std::nullopt;
  }
  // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is
  // in the past century.
  time_t now = time(nullptr);
  struct tm today {};
  gmtime_r(&now, &today);
  int century = (today.tm_year + 1900) / 100 * 100;
  int year = century + yy;
  if (year > today.tm_year + 1900 + 50) year -= 100;
  tm.tm_year = year - 1900;
  return ToEpoch(tm);
}

std::optional<int64_t> ParseAsctime(std::string_view s) {
  // Sun Nov  6 08:49:37 1994
  struct tm tm {};
  DateReader r(s);
  bool day = false;
  for (const char* d : kDays) day = day || r.Literal(d);
  int year = 0;
  if (!day || !r.Literal(" ") || !r.Month(&tm.tm_mon) || !r.Literal(" ") ||
      !r.Digits(2, &tm.tm_mday, true) || !r.Literal(" ") || !r.Time(&tm) || !r.Literal(" ") ||
      !r.Digits(4, &year) || !r.Done()) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  return ToEpoch(tm);
}

// Calls f(element) for each element of a comma-separated list, trimmed,
// empty ones skipped. Stops early when f returns true; returns whether it
// did.
template <typename F>
bool AnyElement(std::string_view list, F f) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    if (!item.empty() && f(item)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// The q-value of an Accept-Encoding element's parameters (";q=0.5"): 1000
// times it, 1000 when absent, -1 when malformed.
int QValue(std::string_view params) {
  while (!params.empty()) {
    params = Trim(params);
    if (params.empty() || params.front() != ';') return params.empty() ? 1000 : -1;
    params = Trim(params.substr(1));
    size_t end = params.find(';');
    std::string_view p = Trim(params.substr(0, end));
    params = end == std::string_view::npos ? std::string_view() : params.substr(end);
    if (p.size() < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') continue;
    std::string_view v = p.substr(2);
    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (v.empty() || (v[0] != '0' && v[0] != '1')) return -1;
    int q = (v[0] - '0') * 1000;
    if (v.size() > 1) {
      if (v[1] != '.' || v.size() > 5) return -1;
      int scale = 100;
      for (char c : v.substr(2)) {
        if (c < '0' || c > '9') return -1;
        q += (c - '0') * scale;
        scale /= 10;
      }
    }
    return q > 1000 ? -1 : q;
  }
  return 1000;
}

}  // namespace

std::string EntityTag(std::string_view digest, std::string_view suffix) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : digest) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  out += suffix;
  out += '"';
  return out;
}

std::string FormatHttpDate(int64_t epoch_seconds) {
  time_t t = static_cast<time_t>(epoch_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  // By hand: snprintf cost more than the rest of a cached read's headers.
  auto two = [](std::string& s, int v) {
    s += static_cast<char>('0' + v / 10 % 10);
    s += static_cast<char>('0' + v % 10);
  };
  std::string out;
  out.reserve(29);
  out += kDays[tm.tm_wday];
  out += ", ";
  two(out, tm.tm_mday);
  out += ' ';
  out += kMonths[tm.tm_mon];
  out += ' ';
  int year = tm.tm_year + 1900;
  two(out, year / 100);
  two(out, year);
  out += ' ';
  two(out, tm.tm_hour);
  out += ':';
  two(out, tm.tm_min);
  out += ':';
  two(out, tm.tm_sec);
  out += " GMT";
  return out;
}

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  text = Trim(text);
  if (auto t = ParseImfFixdate(text)) return t;
  if (auto t = ParseRfc850(text)) return t;
  return ParseAsctime(text);
}

bool NoneMatch(std::string_view if_none_match, std::string_view etag) {
  std::string_view opaque = etag;
  if (opaque.substr(0, 2) == "W/") opaque.remove_prefix(2);
  return AnyElement(if_none_match, [&](std::string_view tag) {
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag == opaque;
  });
}

bool AcceptsCoding(std::string_view accept_encoding, std::string_view coding) {
  int named = -1, star = -1;
  AnyElement(accept_encoding, [&](std::string_view item) {
    size_t semi = item.find(';');
    std::string_view name = Trim(item.substr(0, semi));
    int q = QValue(semi == std::string_view::npos ? std::string_view() : item.substr(semi));
    if (EqualsIgnoreCase(name, coding)) named = std::max(named, q);
    if (name == "*") star = std::max(star, q);
    return false;
  });
  // A coding named outright wins over "*" (RFC 9110 §12.5.3).
  return named >= 0 ? named > 0 : star > 0;
}

RangeRequest ParseRange(std::string_view range, int64_t size) {
  RangeRequest whole;
  range = Trim(range);
  if (range.size() < 6 || !EqualsIgnoreCase(range.substr(0, 6), "bytes=")) return whole;
  std::string_view spec = Trim(range.substr(6));
  if (spec.empty() || spec.find(',') != std::string_view::npos) return whole;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  auto number = [](std::string_view digits, int64_t* out) {
    if (digits.empty() || digits.size() > 18) return false;
    int64_t v = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  };
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  RangeRequest out;
  out.kind = RangeRequest::kPart;
  if (a.empty()) {  // the last b bytes
    int64_t n = 0;
    if (!number(b, &n)) return whole;
    if (n == 0 || size == 0) return RangeRequest{RangeRequest::kUnsatisfiable};
    out.first = size - std::min(n, size);
    out.last = size - 1;
    return out;
  }
  if (!number(a, &out.first)) return whole;
  if (b.empty()) {
    out.last = size - 1;
  } else {
    if (!number(b, &out.last) || out.last < out.first) return whole;
    out.last = std::min(out.last, size - 1);
  }
  if (out.first >= size) return RangeRequest{RangeRequest::kUnsatisfiable};
  return out;
}

}  // namespace pastebin
