#include "daemon/admin_access.h"

#include <arpa/inet.h>

#include <cstring>

#include "daemon/token.h"

namespace pastebin {

bool IsLoopbackAddress(std::string_view address) {
  std::string a(address);
  unsigned char buf[16];
  if (inet_pton(AF_INET, a.c_str(), buf) == 1) return buf[0] == 127;
  if (inet_pton(AF_INET6, a.c_str(), buf) != 1) return false;
  static const unsigned char kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                               0, 0, 0, 0, 0, 0, 0, 1};
  static const unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                  0, 0, 0, 0, 0xff, 0xff};
  if (memcmp(buf, kLoopback6, 16) == 0) return true;
  return memcmp(buf, kMappedPrefix, 12) == 0 && buf[12] == 127;
}

Status CheckAdminAccess(const HttpRequest& req,
                        const std::string& token_hash) {
  std::string auth(req.Header("Authorization"));
  const std::string kBearer = "Bearer ";
  if (!token_hash.empty() && auth.compare(0, kBearer.size(), kBearer) == 0 &&
      TokenMatches(std::string_view(auth).substr(kBearer.size()), token_hash)) {
    return Status::Ok();
  }
  bool proxied = req.HasHeader("X-Forwarded-For") ||
                 req.HasHeader("X-Real-IP") || req.HasHeader("Forwarded");
  if (IsLoopbackAddress(req.remote_addr) && !proxied) return Status::Ok();
  if (!auth.empty()) {
    return Status(Code::kForbidden,
                  "wrong admin token; admin routes need the token from "
                  "pasted's admin_token setting");
  }
  return Status(Code::kForbidden,
                "admin routes answer only local clients, or requests with "
                "'Authorization: Bearer TOKEN' when pasted has an "
                "admin_token");
}

}  // namespace pastebin
