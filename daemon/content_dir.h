// ContentDir: paste bodies as files under DATA_DIR/content.
//
// Layout: content/tmp/ holds bodies being written; a committed body lives at
// content/H/HH/<32 hex chars>, a random name chosen here (never derived from
// a request), sharded over 16 × 256 folders so that no folder grows past
// ~100k files at the design's 360 M pastes. Files are 0600, folders 0700.
//
// Put writes a temp file, fsyncs it, renames it into its shard and fsyncs
// the shard folder, so the body is durable before the caller commits the row
// that points at it. A crash before the commit leaves an orphan file that gc
// removes; it never leaves a row without its body.
#ifndef PASTEBIN_DAEMON_CONTENT_DIR_H_
#define PASTEBIN_DAEMON_CONTENT_DIR_H_

#include <memory>
#include <string>

#include "common/random.h"
#include "daemon/body_store.h"

namespace pastebin {

class ContentDir : public BodyStore {
 public:
  // Uses (creating if needed) data_dir/content. Keys are paths relative to
  // data_dir ("content/a/3f/a3f..."), as stored in the paste_path column.
  static Result<std::unique_ptr<ContentDir>> Open(const std::string& data_dir,
                                                  Random& random);

  Result<std::string> Put(std::string_view bytes) override;
  Result<std::string> Read(const std::string& key) override;
  Status Remove(const std::string& key) override;
  Result<Sweep> RemoveOrphans(int64_t now, int64_t min_age,
                              const ReferencedKeys& referenced) override;

 private:
  ContentDir(std::string data_dir, Random& random)
      : data_dir_(std::move(data_dir)), random_(random) {}
  // Makes content/H/HH if missing and makes its entry durable.
  Status EnsureShard(const std::string& shard);
  // True for keys of the form this store hands out, so that Read and Remove
  // can never be pointed outside content/.
  static bool IsValidKey(const std::string& key);

  std::string data_dir_;
  Random& random_;
};

// Creates dir with mode 0700 if it does not exist; kInternal naming it and
// what to do when it cannot.
Status MakePrivateDir(const std::string& dir);

// fsyncs a directory so that entries created or renamed in it are durable.
Status SyncDir(const std::string& dir);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_CONTENT_DIR_H_
