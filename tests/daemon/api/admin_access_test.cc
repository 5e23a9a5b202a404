#include "daemon/api/admin_access.h"

#include <catch2/catch.hpp>

#include "common/admin_auth.h"
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

FakeClock clock_for_tests(1790000000);

Status CheckAdminAccess(const HttpRequest& req, const AdminPolicy& policy) {
  AdminAccess access(policy, clock_for_tests, SystemRandom());
  return access.Check(req);
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

// Regression: a proxy running as root (haproxy without a user line) in
// front of listen = unix: made every client it forwarded an admin.
TEST_CASE("a proxied request over the Unix socket is never admin by peer credentials") {
  for (const char* header : {"X-Forwarded-For", "X-Real-IP", "Forwarded"}) {
    INFO(header);
    HttpRequest proxied = RequestFrom("unix:", {{header, "203.0.113.9"}});
    proxied.peer_uid = 0;
    CHECK(CheckAdminAccess(proxied, Policy("t")).code() == Code::kForbidden);
  }
}

HttpRequest Signed(const std::string& token, const std::string& nonce, const std::string& method,
                   const std::string& target) {
  HttpRequest req = RequestFrom(
      "203.0.113.9", {{"Authorization", AdminAuthorization(token, nonce, method, target)}});
  req.method = method;
  req.target = target;
  return req;
}

TEST_CASE("an admin proves the token with a nonce, never sending it") {
  FakeClock clock(1790000000);
  AdminAccess access(Policy("s3cret"), clock, SystemRandom());
  auto nonce = access.IssueNonce();
  REQUIRE(nonce.ok());
  CHECK(nonce->size() == 32);
  HttpRequest good = Signed("s3cret", *nonce, "POST", "/api/v1/admin/gc");
  CHECK(HashToken("s3cret") == AdminKey("s3cret"));  // one key on both sides
  // SHA-256 in lowercase hex (FIPS 180-2's example), as stored rows hold it.
  CHECK(HashToken("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(std::string(good.Header("Authorization")).find("s3cret") == std::string::npos);
  CHECK(access.Check(good).ok());
  // A nonce is good once.
  Status again = access.Check(good);
  CHECK(again.code() == Code::kForbidden);
  CHECK(again.message() ==
        "the admin proof does not hold (wrong token, or a nonce that expired or was used); ask "
        "GET /api/v1/admin/challenge for a new nonce");
}

TEST_CASE("an admin proof holds for its own nonce, method, target and token only") {
  FakeClock clock(1790000000);
  AdminAccess access(Policy("s3cret"), clock, SystemRandom());
  struct Case {
    const char* what;
    std::string token, method, target, sent_method, sent_target;
  };
  const Case kCases[] = {
      {"wrong token", "guess", "POST", "/api/v1/admin/gc", "POST", "/api/v1/admin/gc"},
      {"another method", "s3cret", "GET", "/api/v1/admin/gc", "POST", "/api/v1/admin/gc"},
      {"another target", "s3cret", "GET", "/metrics", "GET", "/api/v1/admin/stats"},
  };
  for (const Case& c : kCases) {
    INFO(c.what);
    auto nonce = access.IssueNonce();
    REQUIRE(nonce.ok());
    HttpRequest req = Signed(c.token, *nonce, c.method, c.target);
    req.method = c.sent_method;
    req.target = c.sent_target;
    CHECK(access.Check(req).code() == Code::kForbidden);
  }
  // A nonce never issued, and one that expired.
  CHECK(access.Check(Signed("s3cret", "0123456789abcdef", "GET", "/metrics")).code() ==
        Code::kForbidden);
  auto late = access.IssueNonce();
  REQUIRE(late.ok());
  clock.Advance(kAdminNonceSeconds);
  CHECK(access.Check(Signed("s3cret", *late, "GET", "/metrics")).code() == Code::kForbidden);
}

TEST_CASE("outstanding nonces are bounded") {
  FakeClock clock(1790000000);
  AdminAccess access(Policy("s3cret"), clock, SystemRandom());
  auto first = access.IssueNonce();
  REQUIRE(first.ok());
  for (size_t i = 0; i < AdminAccess::kMaxNonces; ++i) REQUIRE(access.IssueNonce().ok());
  // The oldest went to make room.
  CHECK(access.Check(Signed("s3cret", *first, "GET", "/metrics")).code() == Code::kForbidden);
  auto fresh = access.IssueNonce();
  REQUIRE(fresh.ok());
  CHECK(access.Check(Signed("s3cret", *fresh, "GET", "/metrics")).ok());
}

}  // namespace
}  // namespace pastebin
