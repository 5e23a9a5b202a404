// Who may call the admin routes (/api/v1/admin/..., /metrics): anyone
// presenting the admin token; clients of a Unix socket listener running as
// pasted's own user or root; and, only where admin_loopback is set, clients
// connecting from loopback directly. Loopback alone is not enough by
// default: on a shared machine every local user is on loopback.
#ifndef PASTEBIN_DAEMON_API_ADMIN_ACCESS_H_
#define PASTEBIN_DAEMON_API_ADMIN_ACCESS_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "daemon/http/http_message.h"

namespace pastebin {

// True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses.
bool IsLoopbackAddress(std::string_view address);

struct AdminPolicy {
  std::string token_hash;  // SHA-256 of the admin token; "" for none
  bool loopback = false;   // admin_loopback
  int64_t own_uid = -1;    // pasted's effective uid
};

// OK when the request may use admin routes: it carries "Authorization:
// Bearer TOKEN" whose hash is policy.token_hash (compared in constant
// time); or it came over a Unix socket from policy.own_uid or root; or
// policy.loopback is set and it comes from a loopback address without proxy
// headers (a reverse proxy on the same host forwards strangers from
// loopback, marked by X-Forwarded-For, X-Real-IP or Forwarded). kForbidden
// with a message saying what would work.
Status CheckAdminAccess(const HttpRequest& req, const AdminPolicy& policy);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_API_ADMIN_ACCESS_H_
