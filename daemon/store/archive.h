// What pasted export and pasted import need of a store beyond serving:
// every row in link order, a few at a time, and visit counts read and set
// as they are. Both stores offer them (Stores::rows, Stores::visits); only
// daemon/transfer/ uses them.
#ifndef PASTEBIN_DAEMON_STORE_ARCHIVE_H_
#define PASTEBIN_DAEMON_STORE_ARCHIVE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "daemon/store/metadata_store.h"
#include "daemon/store/stats_store.h"

namespace pastebin {

class PasteRows {
 public:
  virtual ~PasteRows() = default;
  // Up to limit rows whose shortlink sorts after `after` (bytewise; "" for
  // the first), in that order, with their inline bodies. Each call is one
  // short read of its own, so a walk over a live store holds nothing up
  // (and sees each row as one commit left it). Thread-safe.
  virtual Result<std::vector<PasteRecord>> RowsAfter(std::string_view after, size_t limit) = 0;
};

class VisitRows {
 public:
  virtual ~VisitRows() = default;
  // Up to limit (shortlink, month) counts after `after` in that order
  // (empty shortlink for the first). Thread-safe.
  virtual Result<std::vector<VisitCount>> VisitsAfter(const VisitCount& after, size_t limit) = 0;
  // Sets each (month, shortlink) to its count, replacing what was there,
  // and recounts the totals of the months touched, in one transaction: so
  // setting the same counts again changes nothing. Thread-safe.
  virtual Status SetVisits(const std::vector<VisitCount>& counts) = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_ARCHIVE_H_
