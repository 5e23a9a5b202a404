// ContentDir: paste bodies too large for the database, as files under
// DATA_DIR/content.
//
// Layout: a body lives at content/H/HH/<32 hex chars>, a random name chosen
// here (never derived from a request), sharded over 16 × 256 folders.
// Files are 0600, folders 0700. (content/tmp/ held bodies being written
// before storage v2; gc still sweeps it.)
//
// Put creates the file under its final name in its shard (no temp file, no
// rename across folders), writes it, fdatasyncs it and syncs the folder,
// all on the request's own worker: these are the large, rare bodies (small
// ones are inline in SQLite, committed with their rows), so a sync of its
// own each costs little and flushes nothing but its own data. The caller
// commits the row only after Put returned: a crash before that leaves at
// most an orphan file, which gc removes, never a row without its body.
#ifndef PASTEBIN_DAEMON_STORE_CONTENT_DIR_H_
#define PASTEBIN_DAEMON_STORE_CONTENT_DIR_H_

#include <memory>
#include <string>

#include "common/random.h"
#include "daemon/store/body_store.h"

namespace pastebin {

class ContentDir : public BodyStore {
 public:
  // Uses (creating if needed) data_dir/content. Keys are paths relative to
  // data_dir ("content/a/3f/a3f..."), as stored in the paste_path column.
  static Result<std::unique_ptr<ContentDir>> Open(const std::string& data_dir, Random& random);

  ~ContentDir() override;
  Result<std::string> Put(std::string_view bytes) override;
  Result<std::string> Read(const std::string& key) override;
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
  int dir_fd_;  // content/
};

// Creates dir with mode 0700 if it does not exist; kInternal naming it and
// what to do when it cannot.
Status MakePrivateDir(const std::string& dir);

// fsyncs a directory so that entries created or renamed in it are durable.
Status SyncDir(const std::string& dir);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_CONTENT_DIR_H_
