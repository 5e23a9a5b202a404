// Who may call the admin routes (/api/v1/admin/...): clients connecting
// from loopback directly, and anyone presenting the configured admin token.
#ifndef PASTEBIN_DAEMON_ADMIN_ACCESS_H_
#define PASTEBIN_DAEMON_ADMIN_ACCESS_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "daemon/http_message.h"

namespace pastebin {

// True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses.
bool IsLoopbackAddress(std::string_view address);

// OK when the request may use admin routes: it comes from a loopback
// address without proxy headers (a reverse proxy on the same host forwards
// strangers from loopback, marked by X-Forwarded-For, X-Real-IP or
// Forwarded), or it carries "Authorization: Bearer TOKEN" whose hash is
// token_hash (compared in constant time). token_hash is empty when no admin
// token is configured. kForbidden with a message saying what would work.
Status CheckAdminAccess(const HttpRequest& req,
                        const std::string& token_hash);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_ADMIN_ACCESS_H_
