#include "daemon/admin_access.h"

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
  for (const char* a : {"10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1",
                        "fe80::1", "", "localhost", "127.0.0.1.evil"}) {
    INFO(a);
    CHECK_FALSE(IsLoopbackAddress(a));
  }
}

TEST_CASE("admin routes let local clients in without a token") {
  CHECK(CheckAdminAccess(RequestFrom("127.0.0.1"), "").ok());
  CHECK(CheckAdminAccess(RequestFrom("::1"), HashToken("t")).ok());
}

TEST_CASE("admin routes refuse remote and proxied clients without a token") {
  Status remote = CheckAdminAccess(RequestFrom("203.0.113.9"), "");
  CHECK(remote.code() == Code::kForbidden);
  CHECK(remote.message() ==
        "admin routes answer only local clients, or requests with "
        "'Authorization: Bearer TOKEN' when pasted has an admin_token");
  for (const char* header : {"X-Forwarded-For", "X-Real-IP", "Forwarded"}) {
    INFO(header);
    auto req = RequestFrom("127.0.0.1", {{header, "203.0.113.9"}});
    CHECK(CheckAdminAccess(req, "").code() == Code::kForbidden);
  }
}

TEST_CASE("admin routes let anyone with the right token in") {
  std::string hash = HashToken("s3cret");
  auto good = RequestFrom("203.0.113.9", {{"Authorization", "Bearer s3cret"}});
  CHECK(CheckAdminAccess(good, hash).ok());
  auto bad = RequestFrom("203.0.113.9", {{"Authorization", "Bearer guess"}});
  Status s = CheckAdminAccess(bad, hash);
  CHECK(s.code() == Code::kForbidden);
  CHECK(s.message() ==
        "wrong admin token; admin routes need the token from pasted's "
        "admin_token setting");
  // A token means nothing when none is configured.
  auto unset = RequestFrom("203.0.113.9", {{"Authorization", "Bearer "}});
  CHECK(CheckAdminAccess(unset, "").code() == Code::kForbidden);
}

}  // namespace
}  // namespace pastebin
