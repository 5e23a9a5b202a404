// Other pastebins' stores read as a pastebin export (transfer.h), so that
// pasted import brings their pastes in under their own links and a user
// who leaves them keeps every link:
//   haste-server's file store: a directory of files named md5(key), each
//     a document's text. The keys come from elsewhere (an md5 cannot be
//     undone): haste's log ("added document" lines with key=...) or a list
//     of keys, one a line.
//   wastebin's SQLite database: table entries (id, data zstd-compressed,
//     burn_after_reading, expires, nonce for password-protected ones),
//     its ids written as wastebin writes them (6 or 11 of a-zA-Z0-9-+).
// What cannot come along (a haste key too short to be a link here, a
// password-protected or expired wastebin paste) is told to warn and left
// out; the pastes get a delete token nobody holds (the admin deletes).
#ifndef PASTEBIN_DAEMON_TRANSFER_PEER_SOURCES_H_
#define PASTEBIN_DAEMON_TRANSFER_PEER_SOURCES_H_

#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "daemon/transfer/transfer.h"

namespace pastebin {

using Warn = std::function<void(const std::string&)>;

// dir: haste's storage path; keys: a file of haste's log or of keys.
Result<std::unique_ptr<PasteSource>> OpenHasteSource(const std::string& dir,
                                                     const std::string& keys, const Clock& clock,
                                                     Random& random, Warn warn);

// path: wastebin's database file (WASTEBIN_DATABASE_PATH).
Result<std::unique_ptr<PasteSource>> OpenWastebinSource(const std::string& path, const Clock& clock,
                                                        Random& random, Warn warn);

// wastebin's id as its links spell it: 6 characters for ids below 2^32
// (its first ids), else 11.
std::string WastebinLink(int64_t id);

// The keys in a haste log (the key= of "added document" lines) or a list
// of keys (one a line), in first-seen order, each once.
std::vector<std::string> HasteKeys(const std::string& text);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_TRANSFER_PEER_SOURCES_H_
