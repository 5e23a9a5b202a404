// libFuzzer target: a line of the pastebin export format (what pasted
// import reads from a file anyone could have written). Invariants: a paste
// that parses formats back to a line that parses to the same paste; so do
// visit counts and end lines.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "daemon/transfer/export_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pastebin;  // NOLINT: a fuzz target
  std::string text(reinterpret_cast<const char*>(data), size);
  auto line = ParseExportLine(text);
  if (!line.ok()) return 0;
  std::string again;
  if (auto* paste = std::get_if<ExportPaste>(&*line)) {
    again = FormatPaste(paste->record, paste->body);
  } else if (auto* count = std::get_if<VisitCount>(&*line)) {
    again = FormatVisits(*count);
  } else if (auto* end = std::get_if<ExportCounts>(&*line)) {
    again = FormatEnd(*end);
  } else {
    again = FormatHeader();
  }
  auto reparsed = ParseExportLine(again.substr(0, again.size() - 1));
  if (!reparsed.ok() || reparsed->index() != line->index()) abort();
  if (auto* paste = std::get_if<ExportPaste>(&*line)) {
    const auto& p = std::get<ExportPaste>(*reparsed);
    const PasteRecord &a = paste->record, &b = p.record;
    if (p.body != paste->body || a.shortlink != b.shortlink || a.created_at != b.created_at ||
        a.expires_at != b.expires_at || a.delete_token_hash != b.delete_token_hash ||
        a.link_target != b.link_target || a.burn_after_reading != b.burn_after_reading ||
        a.language != b.language ||
        a.expiration_length_in_minutes != b.expiration_length_in_minutes) {
      abort();
    }
  }
  return 0;
}
