#include "common/duration.h"

namespace pastebin {
namespace {

struct Unit {
  char suffix;
  int64_t minutes;
};
constexpr Unit kUnits[] = {{'w', 7 * 24 * 60}, {'d', 24 * 60}, {'h', 60}, {'m', 1}};

Status BadDuration(std::string_view text, const std::string& why) {
  return InvalidArgument("invalid duration '" + std::string(text) + "'" + why +
                         ": use a number of minutes or a number with m, h, "
                         "d or w (30m, 2h, 7d, 2w), or 'never'");
}

}  // namespace

Result<int64_t> ParseDuration(std::string_view text) {
  if (text == "never") return int64_t{0};
  std::string_view digits = text;
  char suffix = 0;
  if (!digits.empty() && (digits.back() < '0' || digits.back() > '9')) {
    suffix = digits.back();
    digits.remove_suffix(1);
  }
  if (digits.empty()) return BadDuration(text, "");
  int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return BadDuration(text, "");
    n = n * 10 + (c - '0');
    if (n > kMaxExpiryMinutes) break;  // stops before int64 could overflow
  }
  int64_t unit = suffix ? 0 : 1;
  for (const auto& u : kUnits) {
    if (suffix == u.suffix) unit = u.minutes;
  }
  if (unit == 0) {
    return BadDuration(text, " (unknown unit '" + std::string(1, suffix) + "')");
  }
  if (n > kMaxExpiryMinutes / unit) {
    return BadDuration(text, " (longer than 100 years)");
  }
  // Zero would silently mean never: never is said as 'never'.
  if (n == 0) return BadDuration(text, " (zero; for no expiry say 'never')");
  return n * unit;
}

std::string FormatDuration(int64_t minutes) {
  if (minutes <= 0) return "never";
  for (const auto& u : kUnits) {
    if (minutes % u.minutes == 0) {
      return std::to_string(minutes / u.minutes) + u.suffix;
    }
  }
  return std::to_string(minutes) + "m";  // unreachable: 'm' divides all
}

}  // namespace pastebin
