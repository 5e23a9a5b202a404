// In-memory stores for in-process tests of the paste service and the
// handlers: MetadataStore and StatsStore without a database, with a switch
// that makes every call fail as a store that is away would.
#ifndef PASTEBIN_TESTS_DAEMON_HARNESS_MEMORY_STORES_H_
#define PASTEBIN_TESTS_DAEMON_HARNESS_MEMORY_STORES_H_

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/store/metadata_store.h"
#include "daemon/store/stats_store.h"

namespace pastebin {
namespace testing {

class MemoryMetadataStore : public MetadataStore {
 public:
  Status Insert(const PasteRecord& record) override;
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override;
  Result<PasteRecord> Get(std::string_view shortlink) override;
  Result<PasteRecord> Delete(std::string_view shortlink) override;
  Result<std::vector<PasteRecord>> DeleteExpired(int64_t now, size_t limit) override;
  Result<StoredTotals> Totals() override;
  Status Check() override;

  // While set, every call fails with kUnavailable.
  std::atomic<bool> away{false};
  size_t size();

 private:
  Status InsertLocked(const PasteRecord& record);
  std::mutex mu_;
  std::map<std::string, PasteRecord, std::less<>> rows_;
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
