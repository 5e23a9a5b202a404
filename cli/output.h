// What the CLI prints as data: tables for people, JSON lines for scripts.
// Every --json output is one JSON object a line, times RFC 3339 UTC.
#ifndef PASTEBIN_CLI_OUTPUT_H_
#define PASTEBIN_CLI_OUTPUT_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/wire.h"

namespace pastebin {

// Rows of cells, the first one the header, columns two spaces apart; with
// numbers, every column but the first is right-aligned.
std::string Table(const std::vector<std::vector<std::string>>& rows, bool numbers = true);

// A created paste or short link as put/shorten --json print it: the
// server's answer with its times as RFC 3339 (null when the server sent
// no time we can read), plus "file" (the input's name, "-" for standard
// input) when given.
// A server's time as RFC 3339 UTC in JSON, or null (none, or unreadable).
nlohmann::json Rfc3339Json(const std::optional<std::string>& time);

std::string CreatedJson(const PasteCreated& created, const std::optional<std::string>& file);

// url as a QR code drawn in text (see QrForTerminal); "" if it cannot be.
std::string QrText(const std::string& url);

// A failure as --json prints it on standard error:
// {"error": {"code": "unreachable", "exit_status": 4, "message": "..."}}.
std::string CliErrorJson(int exit_status, const std::string& message);

}  // namespace pastebin

#endif  // PASTEBIN_CLI_OUTPUT_H_
