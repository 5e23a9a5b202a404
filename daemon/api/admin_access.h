// Who may call the admin routes (/api/v1/admin/..., /metrics):
//   - a client that proves it holds the admin token without sending it
//     (common/admin_auth.h: a nonce from GET /api/v1/admin/challenge, then
//     "Authorization: Pastebin-Admin nonce=N, mac=M") — what pastebin does;
//   - a client presenting the token itself ("Authorization: Bearer TOKEN",
//     for curl and Prometheus);
//   - a client of a Unix socket listener running as pasted's own user or
//     root (SO_PEERCRED), unless the request carries proxy headers
//     (Forwarded, X-Forwarded-For, X-Real-IP): a proxy on the socket speaks
//     for strangers, whatever user it runs as;
//   - only where admin_loopback is set, clients connecting from loopback
//     directly, without proxy headers. Loopback alone is not enough by
//     default: on a shared machine every local user is on loopback.
#ifndef PASTEBIN_DAEMON_API_ADMIN_ACCESS_H_
#define PASTEBIN_DAEMON_API_ADMIN_ACCESS_H_

#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "daemon/http/http_message.h"

namespace pastebin {

// True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses.
bool IsLoopbackAddress(std::string_view address);

struct AdminPolicy {
  std::string token_hash;  // AdminKey (SHA-256 hex) of the admin token; "" for none
  bool loopback = false;   // admin_loopback
  int64_t own_uid = -1;    // pasted's effective uid
};

class AdminAccess {
 public:
  // clock and random must outlive it.
  AdminAccess(AdminPolicy policy, const Clock& clock, Random& random)
      : policy_(std::move(policy)), clock_(clock), random_(random) {}

  // OK when req may use admin routes (see above); a challenge's nonce is
  // spent by the check. kForbidden with a message saying what would work.
  // Thread-safe.
  Status Check(const HttpRequest& req);

  // A fresh nonce (hex), good for one admin request within
  // kAdminNonceSeconds. At most kMaxNonces wait at once: the oldest go
  // first. Thread-safe.
  Result<std::string> IssueNonce();

  static constexpr size_t kMaxNonces = 4096;

 private:
  // True, spending it, when nonce was issued here and has not expired.
  bool SpendNonce(const std::string& nonce);

  AdminPolicy policy_;
  const Clock& clock_;
  Random& random_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> nonces_;  // nonce → expiry
  std::deque<std::string> issued_;                   // oldest first
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_API_ADMIN_ACCESS_H_
