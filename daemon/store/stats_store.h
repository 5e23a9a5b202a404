// StatsStore: the narrow interface to pre-aggregated monthly visits and the
// positions up to which access logs were rolled up.
#ifndef PASTEBIN_DAEMON_STORE_STATS_STORE_H_
#define PASTEBIN_DAEMON_STORE_STATS_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/wire.h"

namespace pastebin {

struct VisitCount {
  std::string month;  // "YYYY-MM"
  std::string shortlink;
  int64_t visits = 0;
};

// How far a log file has been rolled up. Files are known by a fingerprint
// of their first line, which survives a rename (logrotate's default) and a
// copy (copytruncate).
struct LogCursor {
  std::string fingerprint;
  std::string path;  // where it was last seen, for people reading the table
  int64_t offset = 0;
};

class StatsStore {
 public:
  virtual ~StatsStore() = default;

  // The offset recorded for fingerprint, or nullopt for a file never read.
  virtual Result<std::optional<int64_t>> CursorOffset(const std::string& fingerprint) = 0;

  // Adds counts to the monthly tables and records cursor, in one
  // transaction: either both happen or neither, so a line is counted
  // exactly once. Thread-safe.
  virtual Status Apply(const std::vector<VisitCount>& counts, const LogCursor& cursor,
                       int64_t now) = 0;

  // Forgets cursors for files other than those named (files rotated away).
  virtual Status KeepOnlyCursors(const std::vector<std::string>& fingerprints) = 0;

  // Every month with visits, oldest first, as the stats API answers.
  virtual Result<StatsMonths> Months() = 0;

  // One month's totals and its `top` most visited pastes (all when top is
  // 0; ties by shortlink). A month without visits is all zeros.
  virtual Result<StatsMonth> Month(const std::string& month, size_t top) = 0;

  // One paste's visits by month, oldest first (months without visits left
  // out). Thread-safe.
  virtual Result<LinkStats> LinkMonths(const std::string& shortlink) = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_STATS_STORE_H_
