#include "daemon/api/admin_access.h"

#include <arpa/inet.h>

#include <cstring>

#include "daemon/token.h"

namespace pastebin {

bool IsLoopbackAddress(std::string_view address) {
  std::string a(address);
  unsigned char buf[16];
  if (inet_pton(AF_INET, a.c_str(), buf) == 1) return buf[0] == 127;
  if (inet_pton(AF_INET6, a.c_str(), buf) != 1) return false;
  static const unsigned char kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (memcmp(buf, kLoopback6, 16) == 0) return true;
  return memcmp(buf, kMappedPrefix, 12) == 0 && buf[12] == 127;
}

Status CheckAdminAccess(const HttpRequest& req, const AdminPolicy& policy) {
  std::string auth(req.Header("Authorization"));
  const std::string kBearer = "Bearer ";
  if (!policy.token_hash.empty() && auth.compare(0, kBearer.size(), kBearer) == 0 &&
      TokenMatches(std::string_view(auth).substr(kBearer.size()), policy.token_hash)) {
    return Status::Ok();
  }
  if (req.peer_uid >= 0 && (req.peer_uid == policy.own_uid || req.peer_uid == 0)) {
    return Status::Ok();
  }
  bool proxied =
      req.HasHeader("X-Forwarded-For") || req.HasHeader("X-Real-IP") || req.HasHeader("Forwarded");
  if (policy.loopback && IsLoopbackAddress(req.remote_addr) && !proxied) return Status::Ok();
  if (!auth.empty()) {
    return Status(Code::kForbidden,
                  "wrong admin token; admin routes need the token in pasted's "
                  "admin_token_file (by default DATA_DIR/admin.token)");
  }
  return Status(Code::kForbidden,
                "admin routes need 'Authorization: Bearer TOKEN' with pasted's admin token "
                "(by default in DATA_DIR/admin.token; pastebin reads it from "
                "PASTEBIN_ADMIN_TOKEN_FILE)");
}

}  // namespace pastebin
