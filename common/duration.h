// Expiry durations, in whole minutes (the API's unit). 0 means "never".
#ifndef PASTEBIN_COMMON_DURATION_H_
#define PASTEBIN_COMMON_DURATION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace pastebin {

// Longest expiry accepted anywhere: 100 years of 365.25 days.
constexpr int64_t kMaxExpiryMinutes = 36525LL * 24 * 60;  // 52,596,000

// Parses what a user types: "30m", "2h", "7d", "2w", "never", or a bare
// number of minutes ("90"). "0" and "never" both mean never (0). Returns
// kInvalidArgument, quoting the input and the accepted forms, for anything
// else: signs, spaces, fractions, unknown units, or more than
// kMaxExpiryMinutes.
Result<int64_t> ParseDuration(std::string_view text);

// The shortest exact spelling of a number of minutes: 0 → "never",
// 90 → "90m", 120 → "2h", 10080 → "1w".
std::string FormatDuration(int64_t minutes);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_DURATION_H_
