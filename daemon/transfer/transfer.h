// pasted export and pasted import: every paste (link, times, delete token
// hash, burn flag, language, body or target) and visit count of a store
// as the pastebin export format (export_format.h), and back into a store,
// SQLite or PostgreSQL, keeping every link. Both work while pasted serves:
// export reads a page of rows at a time (each row as one commit left it);
// import commits a batch at a time, and is idempotent, so an import cut
// short is finished by running it again with the same input.
#ifndef PASTEBIN_DAEMON_TRANSFER_TRANSFER_H_
#define PASTEBIN_DAEMON_TRANSFER_TRANSFER_H_

#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include "common/status.h"
#include "daemon/paste_service.h"
#include "daemon/store/archive.h"
#include "daemon/transfer/export_format.h"

namespace pastebin {

struct ExportSummary {
  ExportCounts counts;         // what the stream holds (its end line)
  int64_t deleted_during = 0;  // pastes deleted between their row and body reads
};

// Writes the whole store to out. Errors name what failed (a write to out:
// "cannot write the export").
Result<ExportSummary> ExportStore(PasteService& pastes, PasteRows& rows, VisitRows& visits,
                                  std::FILE* out);

// Where import reads from: an export stream, or another pastebin's store
// read as one (peer_sources.h). The first line is a header, the last an
// end line that counts the rest.
class PasteSource {
 public:
  virtual ~PasteSource() = default;
  // The next line, nullopt after the last; an error names where it is.
  virtual Result<std::optional<ExportLine>> Next() = 0;
};

// An export stream (a file, or stdin): errors say which line of `name`.
class StreamSource : public PasteSource {
 public:
  StreamSource(std::FILE* in, std::string name) : in_(in), name_(std::move(name)) {}
  Result<std::optional<ExportLine>> Next() override;

 private:
  std::FILE* in_;
  std::string name_;
  int64_t line_ = 0;
};

struct ImportSummary {
  int64_t stored = 0;         // pastes put in
  int64_t already_there = 0;  // pastes an earlier run put in
  int64_t taken = 0;          // links that hold another paste here: left out
  int64_t bytes = 0;          // bytes of pastes stored or already there
  int64_t visit_counts = 0;   // (link, month) counts set
  Status error;               // why it stopped early; OK when it read to the end
};

// Reads source to its end line and stores what it holds: pastes in
// batches (PasteService::Import), visit counts as they are (VisitRows::
// SetVisits). A link taken by another paste is left out and told to warn.
// A malformed line, an input cut short, or counts that disagree with the
// end line stop it with an error in the summary (what came before is in).
ImportSummary ImportInto(PasteSource& source, PasteService& pastes, VisitRows& visits,
                         const std::function<void(const std::string&)>& warn);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_TRANSFER_TRANSFER_H_
