// ContentDir: paste bodies as files under DATA_DIR/content.
//
// Layout: content/tmp/ holds bodies being written; a committed body lives at
// content/H/HH/<32 hex chars>, a random name chosen here (never derived from
// a request), sharded over 16 × 256 folders so that no folder grows past
// ~100k files at the design's 360 M pastes. Files are 0600, folders 0700.
//
// Put writes a temp file and renames it into its shard, so a body is never
// seen incomplete under its key. Sync() then makes all bodies written so far
// durable at once with syncfs(2) — one journal commit and device flush for a
// whole batch, where an fsync per file managed ~1.1k files/s on the
// reference machine and a syncfs per 64 files 4–6.6k/s. The caller commits
// the rows that point at bodies only after Sync(): a crash before that
// leaves orphan files that gc removes, never a row without its body. syncfs
// flushes the whole filesystem, so a data dir on its own filesystem keeps
// other writers' dirty data out of pasted's commits.
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

  ~ContentDir() override;
  Result<std::string> Put(std::string_view bytes) override;
  Status Sync() override;
  Result<std::string> Read(const std::string& key, bool may_block = true) override;
  Status CheckWritable(int64_t room) override;
  Status Remove(const std::string& key) override;
  Result<Sweep> RemoveOrphans(int64_t now, int64_t min_age,
                              const ReferencedKeys& referenced) override;

 private:
  ContentDir(std::string data_dir, Random& random, int dir_fd)
      : data_dir_(std::move(data_dir)), random_(random), dir_fd_(dir_fd) {}
  // Makes content/H/HH if missing and makes its entry durable.
  Status EnsureShard(const std::string& shard);
  // True for keys of the form this store hands out, so that Read and Remove
  // can never be pointed outside content/.
  static bool IsValidKey(const std::string& key);

  std::string data_dir_;
  Random& random_;
  int dir_fd_;  // content/, for syncfs
};

// Creates dir with mode 0700 if it does not exist; kInternal naming it and
// what to do when it cannot.
Status MakePrivateDir(const std::string& dir);

// fsyncs a directory so that entries created or renamed in it are durable.
Status SyncDir(const std::string& dir);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_CONTENT_DIR_H_
