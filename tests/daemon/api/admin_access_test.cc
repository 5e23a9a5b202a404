#include "daemon/api/admin_access.h"

#include <catch2/catch.hpp>

#include "daemon/token.h"

namespace pastebin {
namespace {

HttpRequest RequestFrom(const std::string& addr, HeaderFields headers = {}) {
  HttpRequest req;
  req.remote_addr = addr;
  req.headers = std::move(headers);
  return req;
}

TEST_CASE("loopback addresses are recognised in every spelling") {
  for (const char* a : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"}) {
    INFO(a);
    CHECK(IsLoopbackAddress(a));
  }
  for (const char* a : {"10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1", "fe80::1", "",
                        "localhost", "127.0.0.1.evil"}) {
    INFO(a);
    CHECK_FALSE(IsLoopbackAddress(a));
  }
}

AdminPolicy Policy(std::string token, bool loopback = false) {
  AdminPolicy p;
  if (!token.empty()) p.token_hash = HashToken(token);
  p.loopback = loopback;
  p.own_uid = 1000;
  return p;
}

TEST_CASE("loopback clients are admins only where admin_loopback is set") {
  // Regression: the autostarted per-user daemon treated loopback as admin,
  // so every local user could list other users' links and run gc.
  CHECK(CheckAdminAccess(RequestFrom("127.0.0.1"), Policy("t")).code() == Code::kForbidden);
  CHECK(CheckAdminAccess(RequestFrom("127.0.0.1"), Policy("t", true)).ok());
  CHECK(CheckAdminAccess(RequestFrom("::1"), Policy("", true)).ok());
}

TEST_CASE("Unix socket clients running as pasted's user or root are admins") {
  HttpRequest own = RequestFrom("unix:");
  own.peer_uid = 1000;
  CHECK(CheckAdminAccess(own, Policy("t")).ok());
  HttpRequest root = RequestFrom("unix:");
  root.peer_uid = 0;
  CHECK(CheckAdminAccess(root, Policy("t")).ok());
  HttpRequest other = RequestFrom("unix:");
  other.peer_uid = 1001;
  CHECK(CheckAdminAccess(other, Policy("t")).code() == Code::kForbidden);
}

TEST_CASE("admin routes refuse remote and proxied clients without a token") {
  Status remote = CheckAdminAccess(RequestFrom("203.0.113.9"), Policy("t", true));
  CHECK(remote.code() == Code::kForbidden);
  CHECK(remote.message() ==
        "admin routes need 'Authorization: Bearer TOKEN' with pasted's admin token (by "
        "default in DATA_DIR/admin.token; pastebin reads it from PASTEBIN_ADMIN_TOKEN_FILE)");
  for (const char* header : {"X-Forwarded-For", "X-Real-IP", "Forwarded"}) {
    INFO(header);
    auto req = RequestFrom("127.0.0.1", {{header, "203.0.113.9"}});
    CHECK(CheckAdminAccess(req, Policy("t", true)).code() == Code::kForbidden);
  }
}

TEST_CASE("admin routes let anyone with the right token in") {
  auto good = RequestFrom("203.0.113.9", {{"Authorization", "Bearer s3cret"}});
  CHECK(CheckAdminAccess(good, Policy("s3cret")).ok());
  auto bad = RequestFrom("203.0.113.9", {{"Authorization", "Bearer guess"}});
  Status s = CheckAdminAccess(bad, Policy("s3cret"));
  CHECK(s.code() == Code::kForbidden);
  CHECK(s.message() ==
        "wrong admin token; admin routes need the token in pasted's admin_token_file (by "
        "default DATA_DIR/admin.token)");
  // A token means nothing when none is configured.
  auto unset = RequestFrom("203.0.113.9", {{"Authorization", "Bearer "}});
  CHECK(CheckAdminAccess(unset, Policy("")).code() == Code::kForbidden);
}

}  // namespace
}  // namespace pastebin
