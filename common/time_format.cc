#include "common/time_format.h"

#include <cstdio>
#include <ctime>

namespace pastebin {

std::string FormatUtc(int64_t epoch_seconds) {
  time_t t = static_cast<time_t>(epoch_seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[64];
  snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string FormatRfc3339(int64_t epoch_seconds) {
  std::string s = FormatUtc(epoch_seconds);
  s[10] = 'T';
  return s + "Z";
}

std::optional<int64_t> ParseRfc3339(std::string_view t) {
  auto digits = [&](size_t at, size_t n) -> int {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z') {
    return std::nullopt;
  }
  struct tm tm = {};
  tm.tm_year = digits(0, 4) - 1900;
  tm.tm_mon = digits(5, 2) - 1;
  tm.tm_mday = digits(8, 2);
  tm.tm_hour = digits(11, 2);
  tm.tm_min = digits(14, 2);
  tm.tm_sec = digits(17, 2);
  if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  int64_t seconds = timegm(&tm);
  // timegm normalizes 31 February into March: such a time is no time.
  if (FormatRfc3339(seconds) != t) return std::nullopt;
  return seconds;
}

std::optional<std::string> NormalizeToRfc3339(std::string_view time) {
  std::string t(time);
  if (t.size() == 19 && t[10] == ' ') t = t.substr(0, 10) + "T" + t.substr(11) + "Z";
  if (!ParseRfc3339(t)) return std::nullopt;
  return t;
}

bool IsMonthName(std::string_view m) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return m.size() == 7 && m[4] == '-' && digit(m[0]) && digit(m[1]) && digit(m[2]) && digit(m[3]) &&
         digit(m[5]) && digit(m[6]) &&
         ((m[5] == '0' && m[6] >= '1') || (m[5] == '1' && m[6] <= '2'));
}

}  // namespace pastebin
