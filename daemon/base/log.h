// Leveled logging to stderr. Under systemd (JOURNAL_STREAM set) lines carry
// no timestamp because journald adds one; otherwise they start with an ISO
// 8601 UTC time. Never log paste bodies or tokens. Thread-safe.
#ifndef PASTEBIN_DAEMON_BASE_LOG_H_
#define PASTEBIN_DAEMON_BASE_LOG_H_

#include <optional>
#include <string>
#include <string_view>

namespace pastebin {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

// "error", "warn", "info", "debug"; nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(std::string_view name);
const char* LogLevelName(LogLevel level);

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

// Writes "pasted: LEVEL: message" if level is enabled.
void Log(LogLevel level, const std::string& message);
inline void LogError(const std::string& m) { Log(LogLevel::kError, m); }
inline void LogWarn(const std::string& m) { Log(LogLevel::kWarn, m); }
inline void LogInfo(const std::string& m) { Log(LogLevel::kInfo, m); }
inline void LogDebug(const std::string& m) { Log(LogLevel::kDebug, m); }

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_LOG_H_
