// PasteService: the write and read paths, independent of HTTP. Every way of
// creating or reading a paste goes through here, so limits, validation and
// expiry are enforced in one place.
#ifndef PASTEBIN_DAEMON_PASTE_SERVICE_H_
#define PASTEBIN_DAEMON_PASTE_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "daemon/body_store.h"
#include "daemon/metadata_store.h"

namespace pastebin {

struct PasteLimits {
  int64_t max_paste_bytes = 10 * 1024 * 1024;
};

struct NewPaste {
  PasteRecord record;
  std::string delete_token;  // shown to the creator once, stored hashed
};

struct Paste {
  PasteRecord record;
  std::string contents;
};

class PasteService {
 public:
  // The service uses, but does not own, its collaborators; they must outlive
  // it. Thread-safe when they are.
  PasteService(MetadataStore& metadata, BodyStore& bodies, const Clock& clock,
               Random& random, PasteLimits limits)
      : metadata_(metadata),
        bodies_(bodies),
        clock_(clock),
        random_(random),
        limits_(limits) {}

  // Stores a paste and returns once body and row are durable. Fails with
  // kTooLarge over max_paste_bytes, kNotText for non-UTF-8 or NUL bytes,
  // kInvalidArgument for an empty paste or a bad expiry, kInsufficientStorage on a full disk;
  // nothing is left behind on failure.
  Result<NewPaste> Create(std::string_view contents,
                          int64_t expiration_minutes);

  // The paste if it exists and has not expired, else kNotFound with a
  // message naming the link. Never writes.
  Result<Paste> Get(std::string_view shortlink);

  // OK when both stores can serve.
  Status Check() { return metadata_.Check(); }

  const PasteLimits& limits() const { return limits_; }

 private:
  MetadataStore& metadata_;
  BodyStore& bodies_;
  const Clock& clock_;
  Random& random_;
  PasteLimits limits_;
};

// The message for a link that cannot be served, the same whether it never
// existed, expired or was deleted, so that nothing leaks about which.
Status PasteNotFound(std::string_view shortlink);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_PASTE_SERVICE_H_
