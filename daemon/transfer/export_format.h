// The pastebin export format, version 1: what pasted export writes and
// pasted import reads, so pastes move between stores (SQLite, PostgreSQL)
// and servers keeping their links. JSON lines (one object a line, UTF-8),
// each with a "type":
//
//   {"type":"pastebin-export","version":1}                    first line
//   {"type":"paste","link":"Ab3dE9x","created_at":1764900000,
//    "expiration_minutes":0,"expires_at":null,
//    "delete_token_sha256":"<64 hex>","burn":false,"language":"py",
//    "body":"<the bytes as pasted>"}                           a paste
//     ("url":"https://..." instead of "body" for a short link,
//      "body_base64url" for bytes that are not UTF-8)
//   {"type":"visits","link":"Ab3dE9x","month":"2026-11","visits":5}
//   {"type":"end","pastes":N,"bytes":B,"visit_counts":V}       last line
//
// Pastes come in link order (bytewise), then visit counts in (link, month)
// order; the end line counts what came before it, so a stream cut short is
// known. Times are seconds since the epoch (UTC). Expired pastes not yet
// collected are exported too. docs/EXPORT-FORMAT.md is the description for
// people; keep the two in step.
#ifndef PASTEBIN_DAEMON_TRANSFER_EXPORT_FORMAT_H_
#define PASTEBIN_DAEMON_TRANSFER_EXPORT_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"
#include "daemon/store/metadata_store.h"
#include "daemon/store/stats_store.h"

namespace pastebin {

constexpr int kExportVersion = 1;

// What an end line counts.
struct ExportCounts {
  int64_t pastes = 0;        // pastes and short links
  int64_t bytes = 0;         // their bytes as pasted (a short link: its URL)
  int64_t visit_counts = 0;  // visits lines
};

// One line's meaning. A paste's record carries shortlink, times, token
// hash, link_target, burn flag and language; body its bytes as pasted.
struct ExportHeader {
  int version = kExportVersion;
};
struct ExportPaste {
  PasteRecord record;
  std::string body;
};
using ExportLine = std::variant<ExportHeader, ExportPaste, VisitCount, ExportCounts>;

// Each line, ending in '\n'.
std::string FormatHeader();
std::string FormatPaste(const PasteRecord& record, std::string_view body);
std::string FormatVisits(const VisitCount& count);
std::string FormatEnd(const ExportCounts& counts);

// One line (without its '\n'), checked field by field: kInvalidArgument
// naming the field and what it should be.
Result<ExportLine> ParseExportLine(std::string_view line);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_TRANSFER_EXPORT_FORMAT_H_
