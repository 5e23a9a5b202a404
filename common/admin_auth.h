// Admin by challenge: how pastebin proves it holds pasted's admin token
// without ever sending it. The client asks GET /api/v1/admin/challenge for a
// nonce (single use, short-lived), then sends its admin request with
//
//   Authorization: Pastebin-Admin nonce=NONCE, mac=MAC
//
// where MAC is HMAC-SHA256 keyed with AdminKey(token) over the nonce, the
// method and the request target exactly as sent. Whoever answers — the
// real pasted, or a program that took its port — learns nothing that
// opens another request: the token never leaves the client, and a MAC is
// good for one nonce, one method and one target. (Bearer tokens are still
// taken, for curl and Prometheus; pastebin never sends one.)
#ifndef PASTEBIN_COMMON_ADMIN_AUTH_H_
#define PASTEBIN_COMMON_ADMIN_AUTH_H_

#include <optional>
#include <string>
#include <string_view>

namespace pastebin {

constexpr char kAdminScheme[] = "Pastebin-Admin";
// How long a nonce may wait for its request.
constexpr int kAdminNonceSeconds = 60;

// The key both sides derive from the token: its SHA-256 in lowercase hex
// (what pasted keeps of it).
std::string AdminKey(std::string_view token);

// Lowercase hex HMAC-SHA256(key, nonce "\n" method "\n" target).
std::string AdminMac(std::string_view key, std::string_view nonce, std::string_view method,
                     std::string_view target);

// The Authorization value for a request of method on target.
std::string AdminAuthorization(std::string_view token, std::string_view nonce,
                               std::string_view method, std::string_view target);

// A Pastebin-Admin Authorization value's parts, or nullopt for anything
// else.
struct AdminProof {
  std::string nonce;
  std::string mac;
};
std::optional<AdminProof> ParseAdminAuthorization(std::string_view value);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_ADMIN_AUTH_H_
