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

bool IsMonthName(std::string_view m) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return m.size() == 7 && m[4] == '-' && digit(m[0]) && digit(m[1]) && digit(m[2]) && digit(m[3]) &&
         digit(m[5]) && digit(m[6]) &&
         ((m[5] == '0' && m[6] >= '1') || (m[5] == '1' && m[6] <= '2'));
}

}  // namespace pastebin
