// UTC timestamps as the API spells them.
#ifndef PASTEBIN_COMMON_TIME_FORMAT_H_
#define PASTEBIN_COMMON_TIME_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pastebin {

// "YYYY-MM-DD HH:MM:SS" in UTC for seconds since the epoch: the chapter's
// GET /api/v1/paste, and pages for people.
std::string FormatUtc(int64_t epoch_seconds);

// RFC 3339 UTC, "2026-11-28T17:53:38Z": every other time pasted and the CLI
// emit as data.
std::string FormatRfc3339(int64_t epoch_seconds);

// A UTC time in either form above, as RFC 3339; nullopt for anything else
// (what an older or foreign server says is checked, not repeated).
std::optional<std::string> NormalizeToRfc3339(std::string_view time);

// Seconds since the epoch of an RFC 3339 UTC time ("...Z"); nullopt if it
// is not one.
std::optional<int64_t> ParseRfc3339(std::string_view time);

// True for a month as the statistics name it: "YYYY-MM", MM from 01 to 12.
bool IsMonthName(std::string_view month);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_TIME_FORMAT_H_
