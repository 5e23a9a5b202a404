// VisitRollup: turns access log lines into monthly visit counts, exactly
// once. Each run reads the rotated log (PATH.1, where logrotate moves it)
// and then the live one (PATH), each from where the last run stopped to its
// last complete line, and commits the counts together with the new position
// (StatsStore::Apply), so a crash or restart at any point neither skips nor
// repeats a line.
#ifndef PASTEBIN_DAEMON_STATS_VISIT_ROLLUP_H_
#define PASTEBIN_DAEMON_STATS_VISIT_ROLLUP_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "daemon/store/stats_store.h"

namespace pastebin {

struct RollupResult {
  int64_t lines = 0;   // complete lines read
  int64_t visits = 0;  // of which visits
};

class VisitRollup {
 public:
  // flush is called first, so that every request answered so far is in
  // the file. Collaborators must outlive the rollup.
  VisitRollup(StatsStore& stats, std::string log_path, const Clock& clock,
              std::function<Status()> flush)
      : stats_(stats), log_path_(std::move(log_path)), clock_(clock), flush_(std::move(flush)) {}

  // One rollup over PATH.1 and PATH. Runs one at a time. Thread-safe.
  Result<RollupResult> Run();

 private:
  Result<RollupResult> RollUpFile(const std::string& path, std::optional<std::string>* fingerprint);

  StatsStore& stats_;
  std::string log_path_;
  const Clock& clock_;
  std::function<Status()> flush_;
  std::mutex mu_;
};

// Counts per PackVisitKey in an open-addressing table: a rollup looks one
// up per log line, and std::unordered_map's scattered nodes made that the
// slowest step (30% of a rollup, measured with perf).
class VisitCounter {
 public:
  VisitCounter() : slots_(1024) {}
  void Add(uint64_t key);
  // (key, count) pairs sorted by key.
  std::vector<std::pair<uint64_t, int64_t>> Sorted() const;
  size_t size() const { return used_; }

 private:
  struct Slot {
    uint64_t key = kEmpty;
    int64_t count = 0;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};  // never a packed key
  // The slot holding key, or the empty slot where it belongs.
  Slot& Find(uint64_t key);
  void Grow();
  std::vector<Slot> slots_;  // size is a power of two
  size_t used_ = 0;
};

// Visits found in a stretch of log, keyed by PackVisitKey; links longer
// than kShortlinkLength (link_length) apart, by (month index, link).
struct LogScan {
  int64_t end_offset = 0;  // just after the last complete line
  int64_t lines = 0;
  int64_t visits = 0;
  VisitCounter counts;
  std::map<std::pair<int, std::string>, int64_t> long_counts;
};

// Reads the complete lines of fd from offset on. Lines that do not parse
// are skipped (and counted as lines).
Result<LogScan> ScanLog(int fd, int64_t offset, const std::string& path);

// A (month, shortlink) pair in one integer: 6 bits per character of a
// kShortlinkLength link and the month index above them.
uint64_t PackVisitKey(int month_index, std::string_view shortlink);
VisitCount UnpackVisitKey(uint64_t key, int64_t visits);

// A name for the file behind fd that survives renames and copies: a hash of
// its first line. nullopt while the file has no complete line.
Result<std::optional<std::string>> LogFingerprint(int fd, const std::string& path);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STATS_VISIT_ROLLUP_H_
