// Small string and path helpers shared by the CLI and the daemon.
#ifndef PASTEBIN_COMMON_STRINGS_H_
#define PASTEBIN_COMMON_STRINGS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pastebin {

// s without leading and trailing spaces and tabs (and a trailing CR).
std::string_view Trim(std::string_view s);

// Of candidates, the one nearest to word by edits (insert, delete,
// replace, swap of neighbours), if it is within two; else "". For "did you
// mean ...?".
std::string NearestWord(const std::string& word, const std::vector<std::string>& candidates);

// Bytes for people, as the CLI's stats and the pages show them: "512 B",
// "101.2 KB", "3.0 GB" (powers of 1000, one decimal).
std::string HumanBytes(int64_t bytes);

// yes/no, true/false, on/off, 1/0 (any case) as a boolean; nullopt for
// anything else. The one boolean spelling for config files, flags and
// environment variables alike.
std::optional<bool> ParseBool(std::string_view s);

// The XDG base directory named by env_var (XDG_DATA_HOME, ...) if it is an
// absolute path, else $HOME/home_fallback; with "/pastebin" appended. Empty
// when neither is set.
std::string XdgPastebinDir(const char* env_var, const char* home_fallback);

// mkdir -p, creating missing folders with mode 0700. False on failure
// (errno says why).
bool MakePrivateDirs(const std::string& dir);

// OK when dir is a directory owned by this process's effective user that
// nobody else may write to (no group or other write bit): an entry in it
// can only have been made by that user (or root). kForbidden saying what
// is wrong otherwise. Symbolic links are not followed.
Status CheckPrivateDir(const std::string& dir);

// Reads "key = value" lines: blank lines and lines starting with '#' are
// skipped, keys and values are trimmed, a value in double quotes loses
// them. Calls apply(key, value) for each; an error from it, or a line
// without '=', stops the parse with "FILE:LINE: " prefixed to the message.
Status ParseConfigLines(
    std::string_view text, const std::string& file_name,
    const std::function<Status(std::string_view key, std::string_view value)>& apply);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_STRINGS_H_
