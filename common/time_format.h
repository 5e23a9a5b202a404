// UTC timestamps as the API spells them.
#ifndef PASTEBIN_COMMON_TIME_FORMAT_H_
#define PASTEBIN_COMMON_TIME_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace pastebin {

// "YYYY-MM-DD HH:MM:SS" in UTC for seconds since the epoch.
std::string FormatUtc(int64_t epoch_seconds);

// True for a month as the statistics name it: "YYYY-MM", MM from 01 to 12.
bool IsMonthName(std::string_view month);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_TIME_FORMAT_H_
