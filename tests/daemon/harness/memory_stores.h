// In-memory stores for in-process tests of the paste service and the
// handlers: MetadataStore and StatsStore without a database, with a switch
// that makes every call fail as a store that is away would.
#ifndef PASTEBIN_TESTS_DAEMON_HARNESS_MEMORY_STORES_H_
#define PASTEBIN_TESTS_DAEMON_HARNESS_MEMORY_STORES_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemon/store/metadata_store.h"
#include "daemon/store/stats_store.h"

namespace pastebin {
namespace testing {

class MemoryMetadataStore : public MetadataStore {
 public:
  explicit MemoryMetadataStore(bool fetch_later = false) : fetch_later(fetch_later) {}
  Status Insert(const PasteRecord& record) override;
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override;
  Result<PasteRecord> Get(std::string_view shortlink) override;
  // With fetch_later set, answers on a thread of its own, as PostgreSQL's
  // store does; else cannot (false).
  bool GetLater(std::string_view shortlink, std::function<void(Result<PasteRecord>)> done) override;
  Result<PasteRecord> Delete(std::string_view shortlink) override;
  Result<std::vector<PasteRecord>> DeleteExpired(int64_t now, size_t limit) override;
  Result<StoredTotals> Totals() override;
  Status Check() override;

  // While set, every call fails with kUnavailable.
  std::atomic<bool> away{false};
  // Set: GetLater answers, later, from another thread.
  const bool fetch_later;
  // GetLater calls answered, and Get calls (GetLater's among them).
  std::atomic<int> fetched_later{0};
  std::atomic<int> gets{0};
  ~MemoryMetadataStore() override;
  size_t size();

 private:
  Status InsertLocked(const PasteRecord& record);
  std::mutex mu_;
  std::map<std::string, PasteRecord, std::less<>> rows_;
  std::mutex later_mu_;
  std::vector<std::thread> answering_;  // GetLater's, joined at the end
};

class MemoryStatsStore : public StatsStore {
 public:
  Result<std::optional<int64_t>> CursorOffset(const std::string& fingerprint) override;
  Status Apply(const std::vector<VisitCount>& counts, const LogCursor& cursor,
               int64_t now) override;
  Status KeepOnlyCursors(const std::vector<std::string>& fingerprints) override;
  Result<StatsMonths> Months() override;
  Result<StatsMonth> Month(const std::string& month, size_t top) override;
  Result<LinkStats> LinkMonths(const std::string& shortlink) override;

 private:
  std::mutex mu_;
  std::map<std::string, int64_t> cursors_;
  std::map<std::string, std::map<std::string, int64_t>> visits_;  // month → link → visits
};

}  // namespace testing
}  // namespace pastebin

#endif  // PASTEBIN_TESTS_DAEMON_HARNESS_MEMORY_STORES_H_
