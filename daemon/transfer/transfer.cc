#include "daemon/transfer/transfer.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace pastebin {
namespace {

constexpr size_t kRowsPerRead = 500;
constexpr size_t kPastesPerBatch = 256;
constexpr size_t kBytesPerBatch = 8 << 20;
constexpr size_t kVisitsPerBatch = 1000;
// Taken links told one by one; more are counted.
constexpr int64_t kTakenTold = 20;

Status WriteError() {
  return Internal(std::string("cannot write the export: ") + strerror(errno) +
                  "; check the disk or the program it is piped to");
}

Status Write(std::FILE* out, const std::string& line) {
  return fwrite(line.data(), 1, line.size(), out) == line.size() ? Status::Ok() : WriteError();
}

}  // namespace

Result<ExportSummary> ExportStore(PasteService& pastes, PasteRows& rows, VisitRows& visits,
                                  std::FILE* out) {
  ExportSummary summary;
  Status s = Write(out, FormatHeader());
  if (!s.ok()) return s;
  std::string after;
  for (;;) {
    auto page = rows.RowsAfter(after, kRowsPerRead);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    after = page->back().shortlink;
    for (PasteRecord& row : *page) {
      auto body = pastes.BodyOf(row);
      if (!body.ok()) {
        if (body.status().code() != Code::kNotFound) return body.status();
        summary.deleted_during++;
        continue;
      }
      s = Write(out, FormatPaste(row, *body));
      if (!s.ok()) return s;
      summary.counts.pastes++;
      summary.counts.bytes += row.size;
    }
  }
  VisitCount last;
  for (;;) {
    auto page = visits.VisitsAfter(last, kRowsPerRead);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    last = page->back();
    for (const VisitCount& c : *page) {
      s = Write(out, FormatVisits(c));
      if (!s.ok()) return s;
      summary.counts.visit_counts++;
    }
  }
  s = Write(out, FormatEnd(summary.counts));
  if (!s.ok()) return s;
  if (fflush(out) != 0) return WriteError();
  return summary;
}

Result<std::optional<ExportLine>> StreamSource::Next() {
  char* buf = nullptr;
  size_t cap = 0;
  errno = 0;
  ssize_t n = getline(&buf, &cap, in_);
  std::string line = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  free(buf);
  if (n < 0) {
    if (errno != 0 && ferror(in_)) {
      return Internal("cannot read " + name_ + ": " + strerror(errno));
    }
    return std::optional<ExportLine>();
  }
  ++line_;
  bool whole = !line.empty() && line.back() == '\n';
  if (whole) line.pop_back();
  auto parsed = ParseExportLine(line);
  if (!parsed.ok() && !whole) {
    return InvalidArgument("line " + std::to_string(line_) + " of " + name_ +
                           " is cut short: the input ends in the middle of it. What came before "
                           "is in; run the import again with the whole input");
  }
  if (!parsed.ok()) {
    return InvalidArgument("line " + std::to_string(line_) + " of " + name_ + ": " +
                           parsed.status().message());
  }
  return std::optional<ExportLine>(std::move(parsed).value());
}

ImportSummary ImportInto(PasteSource& source, PasteService& pastes, VisitRows& visits,
                         const std::function<void(const std::string&)>& warn) {
  ImportSummary summary;
  ExportCounts read;  // what the lines held, to check against the end line
  std::vector<PasteService::Imported> batch;
  size_t batch_bytes = 0;
  std::vector<VisitCount> counts;
  auto flush_pastes = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    auto done = pastes.Import(batch);
    if (!done.ok()) return done.status();
    for (size_t i = 0; i < batch.size(); ++i) {
      const PasteRecord& r = batch[i].record;
      int64_t size = r.link_target ? static_cast<int64_t>(r.link_target->size())
                                   : static_cast<int64_t>(batch[i].body.size());
      switch ((*done)[i]) {
        case PasteService::ImportOutcome::kStored:
          summary.stored++;
          summary.bytes += size;
          break;
        case PasteService::ImportOutcome::kAlreadyThere:
          summary.already_there++;
          summary.bytes += size;
          break;
        case PasteService::ImportOutcome::kTaken:
          if (++summary.taken <= kTakenTold) {
            warn("link " + r.shortlink + " is taken here by another paste: left out");
          }
          break;
      }
    }
    batch.clear();
    batch_bytes = 0;
    return Status::Ok();
  };
  auto flush_visits = [&]() -> Status {
    if (counts.empty()) return Status::Ok();
    Status s = visits.SetVisits(counts);
    if (s.ok()) summary.visit_counts += static_cast<int64_t>(counts.size());
    counts.clear();
    return s;
  };
  auto stop = [&](Status why) {
    // What was read before the bad line goes in; then the error.
    Status s = flush_pastes();
    if (s.ok()) s = flush_visits();
    summary.error = s.ok() ? std::move(why) : s;
    return summary;
  };

  bool header = false;
  for (;;) {
    auto next = source.Next();
    if (!next.ok()) return stop(next.status());
    if (!*next) {
      return stop(InvalidArgument(
          header ? "the input ends before its end line: it was cut short after " +
                       std::to_string(read.pastes) +
                       " pastes. Those are in; run the import again with the whole input"
                 : "the input is empty: expected what pasted export writes"));
    }
    ExportLine& line = **next;
    if (!header) {
      if (!std::holds_alternative<ExportHeader>(line)) {
        return stop(InvalidArgument(
            "the input does not start with a pastebin-export line: is it what pasted export "
            "writes?"));
      }
      header = true;
      continue;
    }
    if (auto* paste = std::get_if<ExportPaste>(&line)) {
      read.pastes++;
      int64_t size = paste->record.link_target
                         ? static_cast<int64_t>(paste->record.link_target->size())
                         : static_cast<int64_t>(paste->body.size());
      read.bytes += size;
      batch_bytes += static_cast<size_t>(size);
      batch.push_back({std::move(paste->record), std::move(paste->body)});
      if (batch.size() >= kPastesPerBatch || batch_bytes >= kBytesPerBatch) {
        Status s = flush_pastes();
        if (!s.ok()) return stop(s);
      }
    } else if (auto* count = std::get_if<VisitCount>(&line)) {
      read.visit_counts++;
      counts.push_back(std::move(*count));
      if (counts.size() >= kVisitsPerBatch) {
        Status s = flush_visits();
        if (!s.ok()) return stop(s);
      }
    } else if (auto* end = std::get_if<ExportCounts>(&line)) {
      Status s = flush_pastes();
      if (s.ok()) s = flush_visits();
      if (!s.ok()) return stop(s);
      if (end->pastes != read.pastes || end->bytes != read.bytes ||
          end->visit_counts != read.visit_counts) {
        summary.error = InvalidArgument(
            "the end line counts " + std::to_string(end->pastes) + " pastes (" +
            std::to_string(end->bytes) + " bytes) and " + std::to_string(end->visit_counts) +
            " visit counts, but the input held " + std::to_string(read.pastes) + " (" +
            std::to_string(read.bytes) + " bytes) and " + std::to_string(read.visit_counts) +
            ": it was damaged; export again");
        return summary;
      }
      auto more = source.Next();
      if (!more.ok() || *more) {
        summary.error = InvalidArgument("the input goes on after its end line: export again");
      }
      return summary;
    } else {
      return stop(InvalidArgument("a second pastebin-export line: two exports run together?"));
    }
  }
}

}  // namespace pastebin
