// BodyStore: the narrow interface through which the paste service reaches
// paste bodies too large to live in the database. The content directory is
// the embedded implementation; an object store (S3-compatible) would be
// another. Keys are chosen by the store, never by clients.
#ifndef PASTEBIN_DAEMON_STORE_BODY_STORE_H_
#define PASTEBIN_DAEMON_STORE_BODY_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/status.h"

namespace pastebin {

class BodyStore {
 public:
  virtual ~BodyStore() = default;

  // Stores bytes under a fresh key and returns the key once they are
  // durable (they survive a crash or power loss). On failure nothing is
  // left under a key that anyone was given (a crash may leave a partial
  // body, which no row names: RemoveOrphans takes it);
  // kInsufficientStorage when the disk is full. Thread-safe.
  virtual Result<std::string> Put(std::string_view bytes) = 0;

  // The bytes stored under key; kNotFound if there are none (e.g. deleted
  // meanwhile). May wait for the disk. Thread-safe.
  virtual Result<std::string> Read(const std::string& key) = 0;

  // OK when a body of `room` bytes could be stored now: the store is
  // writable (a probe write is synced and thrown away) and has the room.
  // kUnavailable or kInsufficientStorage saying why, without paths.
  // Thread-safe.
  virtual Status CheckWritable(int64_t room) = 0;

  // Removes the body; OK if it was already gone. Thread-safe.
  virtual Status Remove(const std::string& key) = 0;

  // Bodies no row points at: written by a request that crashed or failed
  // before its row was committed, or left when a crash followed a row's
  // deletion. RemoveOrphans walks the store in groups of keys sharing a
  // prefix; for each group it calls referenced(prefix) for the keys that
  // rows point at and removes every other body (and abandoned temp file)
  // last modified at least min_age seconds before now. The age guards
  // bodies whose rows are being committed right now. It also reports the
  // keys rows point at whose bodies are gone (missing): those rows are
  // broken, for a body is always stored before its row. Thread-safe, but
  // two sweeps should not run at once.
  struct Sweep {
    int64_t files = 0;
    int64_t bytes = 0;
    std::vector<std::string> missing;
  };
  using ReferencedKeys =
      std::function<Result<std::unordered_set<std::string>>(const std::string& prefix)>;
  virtual Result<Sweep> RemoveOrphans(int64_t now, int64_t min_age,
                                      const ReferencedKeys& referenced) = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_BODY_STORE_H_
