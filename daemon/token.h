// Tokens: delete tokens, handed to the creator once and stored only as a
// hash, and the admin token.
#ifndef PASTEBIN_DAEMON_TOKEN_H_
#define PASTEBIN_DAEMON_TOKEN_H_

#include <string>
#include <string_view>

#include "common/random.h"
#include "common/status.h"

namespace pastebin {

// Lowercase hex SHA-256 of token.
std::string HashToken(std::string_view token);

// True when token hashes to stored_hash. The comparison takes the same time
// wherever the hashes differ, so timing reveals nothing about the hash.
bool TokenMatches(std::string_view token, std::string_view stored_hash);

// The token in the first line of path; if the file does not exist, a new
// random token (128 bits, hex) written there first (mode 0600, synced).
// Errors name the file and what to do.
Result<std::string> LoadOrCreateTokenFile(const std::string& path, Random& random);

// The admin token: token when set, else the first line of token_file when
// set (errors name it and what to do), else DATA_DIR/admin.token (made on
// first start, see LoadOrCreateTokenFile).
Result<std::string> AdminToken(const std::string& token, const std::string& token_file,
                               const std::string& data_dir, Random& random);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_TOKEN_H_
