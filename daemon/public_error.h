// What a client may be told about a failure. Errors of the client's own
// making (4xx) are told as they are: they are about the client's input.
// Server failures (5xx) can carry absolute paths, SQLite's own words and
// other internals: they are logged in full under a request id, and the
// client hears only what kind of failure it was, what to do, and the id.
#ifndef PASTEBIN_DAEMON_PUBLIC_ERROR_H_
#define PASTEBIN_DAEMON_PUBLIC_ERROR_H_

#include "common/status.h"

namespace pastebin {

// status itself for 4xx; for 5xx a generic message with a request id,
// after logging the original under that id. Thread-safe.
Status PublicError(const Status& status);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_PUBLIC_ERROR_H_
