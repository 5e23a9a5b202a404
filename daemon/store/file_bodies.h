// FileBodies: what a store that keeps large bodies as files, beside the
// rows that name them, offers besides MetadataStore: the files themselves
// (a BodyStore) and the rows' index of them (FileBodyIndex), for the
// upkeep only such a store needs — the gc sweep of orphaned files and of
// rows whose file is gone, and moving small file bodies inline. SQLite with
// its content directory has them; PostgreSQL keeps every body in its row
// and has none (Stores::files is empty).
#ifndef PASTEBIN_DAEMON_STORE_FILE_BODIES_H_
#define PASTEBIN_DAEMON_STORE_FILE_BODIES_H_

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "daemon/store/body_store.h"
#include "daemon/store/metadata_store.h"

namespace pastebin {

// The rows' side of file bodies (PasteRecord::paste_path). Thread-safe.
class FileBodyIndex {
 public:
  virtual ~FileBodyIndex() = default;

  // Deletes the rows whose paste_path is path (a body found missing) and
  // returns them as they were. Durable when it returns.
  virtual Result<std::vector<PasteRecord>> DeleteByPastePath(const std::string& path) = 0;

  // Rows whose body is a file smaller than size bytes (as pasted), at most
  // limit: what MoveBodiesInline takes in. Never writes.
  virtual Result<std::vector<PasteRecord>> FileBodiesBelow(int64_t size, size_t limit) = 0;

  // Makes each record's body (inline_body, codec, stored_size) inline, in
  // place of its file paste_path, if the row still names that file; one
  // transaction for all. Durable when it returns; the files are the
  // caller's to remove then.
  virtual Status MoveBodiesInline(const std::vector<PasteRecord>& records) = 0;

  // The paste_path of every row whose paste_path starts with prefix (the
  // body keys of one shard). Never writes.
  virtual Result<std::unordered_set<std::string>> PastePathsWithPrefix(
      const std::string& prefix) = 0;
};

// Both sides together; neither owned. Bodies of at least
// PasteLimits::inline_max_bytes (as stored) go to files.
struct FileBodies {
  BodyStore* files = nullptr;
  FileBodyIndex* index = nullptr;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_FILE_BODIES_H_
