// BodyStore: the narrow interface through which handlers reach paste bodies.
// The content directory is the embedded implementation; a shared object
// store would be another. Keys are chosen by the store, never by clients.
#ifndef PASTEBIN_DAEMON_BODY_STORE_H_
#define PASTEBIN_DAEMON_BODY_STORE_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace pastebin {

class BodyStore {
 public:
  virtual ~BodyStore() = default;

  // Stores bytes durably under a fresh key and returns the key: when this
  // returns OK the body survives a crash or power loss. On failure nothing is
  // left that looks committed; kInsufficientStorage when the disk is full.
  // Thread-safe.
  virtual Result<std::string> Put(std::string_view bytes) = 0;

  // The bytes stored under key; kNotFound if there are none (e.g. deleted
  // meanwhile). Thread-safe.
  virtual Result<std::string> Read(const std::string& key) = 0;

  // Removes the body; OK if it was already gone. Thread-safe.
  virtual Status Remove(const std::string& key) = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BODY_STORE_H_
