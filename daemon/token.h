// Delete tokens: handed to the creator once, stored only as a hash.
#ifndef PASTEBIN_DAEMON_TOKEN_H_
#define PASTEBIN_DAEMON_TOKEN_H_

#include <string>
#include <string_view>

namespace pastebin {

// Lowercase hex SHA-256 of token.
std::string HashToken(std::string_view token);

// True when token hashes to stored_hash. The comparison takes the same time
// wherever the hashes differ, so timing reveals nothing about the hash.
bool TokenMatches(std::string_view token, std::string_view stored_hash);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_TOKEN_H_
