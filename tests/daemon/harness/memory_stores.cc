#include "tests/daemon/harness/memory_stores.h"

#include <algorithm>

namespace pastebin {
namespace testing {
namespace {

Status Away() { return Status(Code::kUnavailable, "the store is away"); }

}  // namespace

size_t MemoryMetadataStore::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_.size();
}

Status MemoryMetadataStore::InsertLocked(const PasteRecord& record) {
  if (!rows_.emplace(record.shortlink, record).second) {
    return Status(Code::kConflict, "shortlink " + record.shortlink + " is taken");
  }
  return Status::Ok();
}

Status MemoryMetadataStore::Insert(const PasteRecord& record) {
  if (away) return Away();
  std::lock_guard<std::mutex> lock(mu_);
  return InsertLocked(record);
}

std::vector<Status> MemoryMetadataStore::InsertBatch(
    const std::vector<const PasteRecord*>& records) {
  if (away) return std::vector<Status>(records.size(), Away());
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Status> out;
  for (const PasteRecord* r : records) out.push_back(InsertLocked(*r));
  return out;
}

MemoryMetadataStore::~MemoryMetadataStore() {
  for (auto& t : answering_) t.join();
}

bool MemoryMetadataStore::GetLater(std::string_view shortlink,
                                   std::function<void(Result<PasteRecord>)> done) {
  if (!fetch_later) return false;
  std::string link(shortlink);
  std::lock_guard<std::mutex> lock(later_mu_);
  answering_.emplace_back([this, link, done = std::move(done)] {
    fetched_later++;
    done(Get(link));
  });
  return true;
}

Result<PasteRecord> MemoryMetadataStore::Get(std::string_view shortlink) {
  gets++;
  if (away) return Away();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = rows_.find(shortlink);
  if (it == rows_.end()) return NoSuchPaste(shortlink);
  return it->second;
}

Result<PasteRecord> MemoryMetadataStore::Delete(std::string_view shortlink) {
  if (away) return Away();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = rows_.find(shortlink);
  if (it == rows_.end()) return NoSuchPaste(shortlink);
  PasteRecord out = std::move(it->second);
  rows_.erase(it);
  return out;
}

Result<std::vector<PasteRecord>> MemoryMetadataStore::DeleteExpired(int64_t now, size_t limit) {
  if (away) return Away();
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PasteRecord> out;
  for (auto it = rows_.begin(); it != rows_.end() && out.size() < limit;) {
    if (it->second.ExpiredAt(now)) {
      out.push_back(std::move(it->second));
      it = rows_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

Result<StoredTotals> MemoryMetadataStore::Totals() {
  if (away) return Away();
  std::lock_guard<std::mutex> lock(mu_);
  StoredTotals t;
  for (const auto& [link, r] : rows_) {
    t.pastes++;
    t.bytes += r.size;
    t.stored_bytes += r.stored_size;
  }
  return t;
}

Status MemoryMetadataStore::Check() { return away ? Away() : Status::Ok(); }

Result<std::optional<int64_t>> MemoryStatsStore::CursorOffset(const std::string& fingerprint) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cursors_.find(fingerprint);
  if (it == cursors_.end()) return std::optional<int64_t>();
  return std::optional<int64_t>(it->second);
}

Status MemoryStatsStore::Apply(const std::vector<VisitCount>& counts, const LogCursor& cursor,
                               int64_t) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const VisitCount& c : counts) visits_[c.month][c.shortlink] += c.visits;
  cursors_[cursor.fingerprint] = cursor.offset;
  return Status::Ok();
}

Status MemoryStatsStore::KeepOnlyCursors(const std::vector<std::string>& fingerprints) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    bool keep =
        std::find(fingerprints.begin(), fingerprints.end(), it->first) != fingerprints.end();
    it = keep ? std::next(it) : cursors_.erase(it);
  }
  return Status::Ok();
}

Result<StatsMonths> MemoryStatsStore::Months() {
  std::lock_guard<std::mutex> lock(mu_);
  StatsMonths out;
  for (const auto& [month, links] : visits_) {
    StatsMonthSummary m;
    m.month = month;
    for (const auto& [link, n] : links) {
      m.total_visits += n;
      m.pastes_visited++;
    }
    out.months.push_back(m);
  }
  return out;
}

Result<StatsMonth> MemoryStatsStore::Month(const std::string& month, size_t top) {
  std::lock_guard<std::mutex> lock(mu_);
  StatsMonth out;
  out.month = month;
  auto it = visits_.find(month);
  if (it == visits_.end()) return out;
  for (const auto& [link, n] : it->second) {
    out.total_visits += n;
    out.pastes_visited++;
    out.pastes.push_back({link, n});
  }
  std::stable_sort(
      out.pastes.begin(), out.pastes.end(),
      [](const StatsPasteVisits& a, const StatsPasteVisits& b) { return a.visits > b.visits; });
  if (top > 0 && out.pastes.size() > top) out.pastes.resize(top);
  return out;
}

Result<LinkStats> MemoryStatsStore::LinkMonths(const std::string& shortlink) {
  std::lock_guard<std::mutex> lock(mu_);
  LinkStats out;
  out.shortlink = shortlink;
  for (const auto& [month, links] : visits_) {
    auto it = links.find(shortlink);
    if (it == links.end()) continue;
    out.total_visits += it->second;
    out.months.push_back({month, it->second});
  }
  return out;
}

}  // namespace testing
}  // namespace pastebin
