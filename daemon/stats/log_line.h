// Access log lines in the Combined Log Format, as Apache and nginx write
// them, so goaccess, awk and friends read our log too:
//
//   127.0.0.1 - - [28/Nov/2026:07:15:27 +0000] "GET /Ab3dE9x HTTP/1.1" 200 6 "-" "curl/7.88.1"
//
// Quotes, backslashes, control and non-ASCII bytes inside the quoted fields
// are written as \" \\ and \xHH (as nginx does), so a field can never end a
// quote early and every line is one line of ASCII.
#ifndef PASTEBIN_DAEMON_STATS_LOG_LINE_H_
#define PASTEBIN_DAEMON_STATS_LOG_LINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pastebin {

struct RequestLogRecord {
  std::string_view remote_addr;
  int64_t time = 0;  // seconds since the epoch; written in UTC
  std::string_view method;
  std::string_view target;  // path and query as the client sent them
  std::string_view protocol;
  int status = 0;
  int64_t bytes = 0;
  std::string_view referer;
  std::string_view user_agent;
};

// One line, without the trailing newline.
std::string FormatLogLine(const RequestLogRecord& r);

// What the statistics need from a line.
struct ParsedLogLine {
  int month_index = 0;  // year * 12 + (month - 1), in UTC
  std::string_view method;
  std::string_view target;  // still escaped as written
  int status = 0;
};

// Parses a line written by FormatLogLine or any Combined/Common Log Format
// writer; the timestamp's offset is honoured, so the month is UTC. nullopt
// for a line that does not parse.
std::optional<ParsedLogLine> ParseLogLine(std::string_view line);

// "YYYY-MM" for a month index.
std::string MonthName(int month_index);
// The month index of "YYYY-MM" (01-12), or nullopt.
std::optional<int> ParseMonthName(std::string_view month);

// The paste a log line shows a visit to: a successful GET of the raw paste
// (/X, /raw/X, /share/X), of its JSON (/api/v1/paste?shortlink=X) or of its
// haste document (/documents/X), or a redirect of a short link. Misses,
// errors, HEAD
// and reserved route names are not visits. Returns the shortlink.
std::optional<std::string> VisitedShortlink(const ParsedLogLine& line);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STATS_LOG_LINE_H_
