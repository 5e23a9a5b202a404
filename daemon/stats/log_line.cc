#include "daemon/stats/log_line.h"

#include <cstdio>
#include <cstring>
#include <ctime>

#include "common/shortlink.h"
#include "daemon/http/http_message.h"

namespace pastebin {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// field with '"', '\\' and bytes outside printable ASCII escaped.
void AppendEscaped(std::string& out, std::string_view field) {
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : field) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

void AppendQuoted(std::string& out, std::string_view field) {
  out.push_back('"');
  if (field.empty()) out.push_back('-');
  AppendEscaped(out, field);
  out.push_back('"');
}

// An unquoted field (the client address): anything but the characters of
// an address is escaped, so no value can add a field or a line.
void AppendBare(std::string& out, std::string_view field) {
  static const char kHex[] = "0123456789ABCDEF";
  if (field.empty()) out.push_back('-');
  for (unsigned char c : field) {
    bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 c == '.' || c == ':' || c == '-' || c == '_';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
}

int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Days since the epoch of a civil date (Howard Hinnant's algorithm), so no
// time zone database is consulted.
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// "28/Nov/2026:07:15:27 +0000" → UTC month index.
std::optional<int> MonthOfTimestamp(std::string_view t) {
  if (t.size() != 26 || t[2] != '/' || t[6] != '/' || t[11] != ':' || t[20] != ' ') {
    return std::nullopt;
  }
  int day = Digits(t, 0, 2), year = Digits(t, 7, 4);
  int hour = Digits(t, 12, 2), min = Digits(t, 15, 2), sec = Digits(t, 18, 2);
  int off_h = Digits(t, 22, 2), off_m = Digits(t, 24, 2);
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    if (t.compare(3, 3, kMonths[i]) == 0) month = i + 1;
  }
  if (day < 1 || year < 0 || hour < 0 || min < 0 || sec < 0 || off_h < 0 || off_m < 0 ||
      month == 0 || (t[21] != '+' && t[21] != '-')) {
    return std::nullopt;
  }
  if (t[22] == '0' && t[23] == '0' && off_m == 0) {  // UTC: the usual case
    return year * 12 + month - 1;
  }
  int64_t secs = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  int64_t offset = (off_h * 3600 + off_m * 60) * (t[21] == '+' ? 1 : -1);
  time_t utc = static_cast<time_t>(secs - offset);
  struct tm tm;
  gmtime_r(&utc, &tm);
  return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

std::optional<std::string> LinkIfValid(std::string s) {
  if (IsValidShortlink(s) && !IsReservedShortlink(s)) return s;
  return std::nullopt;
}

}  // namespace

std::string FormatLogLine(const RequestLogRecord& r) {
  std::string out;
  out.reserve(128 + r.target.size() + r.user_agent.size() + r.referer.size());
  AppendBare(out, r.remote_addr);
  // The time, made once a second per thread: gmtime_r and snprintf were
  // the dearest part of a hot GET's line.
  thread_local int64_t stamp_time = -1;
  thread_local char stamp[48];
  if (r.time != stamp_time) {
    time_t t = static_cast<time_t>(r.time);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(stamp, sizeof(stamp), " - - [%02d/%s/%04d:%02d:%02d:%02d +0000] ", tm.tm_mday,
             kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    stamp_time = r.time;
  }
  out += stamp;
  if (r.method.empty()) {
    out += "\"-\"";  // the request line did not parse
  } else {
    // "METHOD TARGET PROTOCOL", escaped as one field, built in place.
    out.push_back('"');
    AppendEscaped(out, r.method);
    out.push_back(' ');
    AppendEscaped(out, r.target);
    out.push_back(' ');
    AppendEscaped(out, r.protocol);
    out.push_back('"');
  }
  out += " " + std::to_string(r.status) + " " + std::to_string(r.bytes) + " ";
  AppendQuoted(out, r.referer);
  out += " ";
  AppendQuoted(out, r.user_agent);
  return out;
}

std::optional<ParsedLogLine> ParseLogLine(std::string_view line) {
  size_t open = line.find(" [");
  if (open == std::string_view::npos) return std::nullopt;
  size_t close = line.find(']', open);
  if (close == std::string_view::npos) return std::nullopt;
  auto month = MonthOfTimestamp(line.substr(open + 2, close - open - 2));
  if (!month) return std::nullopt;
  ParsedLogLine out;
  out.month_index = *month;

  // ] "REQUEST" STATUS
  size_t q = close + 2;
  if (q >= line.size() || line[q] != '"') return std::nullopt;
  size_t end = q + 1;
  while (end < line.size() && line[end] != '"') {
    end += line[end] == '\\' ? 2 : 1;
  }
  if (end >= line.size()) return std::nullopt;
  std::string_view request = line.substr(q + 1, end - q - 1);
  size_t sp1 = request.find(' ');
  size_t sp2 = request.rfind(' ');
  if (sp1 != std::string_view::npos && sp2 > sp1) {
    out.method = request.substr(0, sp1);
    out.target = request.substr(sp1 + 1, sp2 - sp1 - 1);
  }
  out.status = Digits(line, end + 2, 3);
  if (end + 1 >= line.size() || line[end + 1] != ' ' || out.status < 0) {
    return std::nullopt;
  }
  return out;
}

std::string MonthName(int month_index) {
  char buf[16];
  snprintf(buf, sizeof(buf), "%04d-%02d", month_index / 12, month_index % 12 + 1);
  return buf;
}

std::optional<int> ParseMonthName(std::string_view month) {
  if (month.size() != 7 || month[4] != '-') return std::nullopt;
  int year = Digits(month, 0, 4), m = Digits(month, 5, 2);
  if (year < 0 || m < 1 || m > 12) return std::nullopt;
  return year * 12 + m - 1;
}

std::optional<std::string> VisitedShortlink(const ParsedLogLine& line) {
  bool redirect = line.status == 301 || line.status == 302 || line.status == 307 ||
                  line.status == 308;  // a short link followed
  if (line.status != 200 && !redirect) return std::nullopt;
  std::string_view target = line.target;
  if (target.empty() || target[0] != '/') return std::nullopt;
  // A burn-after-reading paste opened from its page is read by a POST.
  if (line.method == "POST" && target.compare(0, 6, "/burn/") == 0) {
    return LinkIfValid(PercentDecode(target.substr(6, target.find('?') - 6), false));
  }
  if (line.method != "GET") return std::nullopt;
  size_t qmark = target.find('?');
  std::string_view path = target.substr(0, qmark);
  std::string_view query =
      qmark == std::string_view::npos ? std::string_view() : target.substr(qmark + 1);
  if (path == "/api/v1/paste") {
    // The parameter the server read: its own reading of the query.
    auto shortlink = QueryParam(query, "shortlink");
    if (!shortlink) return std::nullopt;
    return LinkIfValid(*shortlink);
  }
  // /raw/X, /share/X, /dl/X (wastebin) and /documents/X (haste) read the
  // paste too; X.py is X shown as Python.
  auto link = [](std::string_view segment) {
    std::string decoded = PercentDecode(segment, false);
    return LinkIfValid(std::string(SplitLanguage(decoded).first));
  };
  for (std::string_view prefix : {"/raw/", "/share/", "/dl/", "/documents/"}) {
    if (path.compare(0, prefix.size(), prefix) == 0) return link(path.substr(prefix.size()));
  }
  return link(path.substr(1));
}

}  // namespace pastebin
