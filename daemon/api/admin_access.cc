#include "daemon/api/admin_access.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>

#include <cstring>

#include "common/admin_auth.h"
#include "daemon/token.h"

namespace pastebin {
namespace {

constexpr size_t kNonceBytes = 16;

bool Proxied(const HttpRequest& req) {
  return req.HasHeader("X-Forwarded-For") || req.HasHeader("X-Real-IP") ||
         req.HasHeader("Forwarded");
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

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

Result<std::string> AdminAccess::IssueNonce() {
  std::string nonce = RandomHex(random_, kNonceBytes);
  if (nonce.empty()) return Status(Code::kUnavailable, "the random number generator failed");
  int64_t now = clock_.NowSeconds();
  std::lock_guard<std::mutex> lock(mu_);
  // Forget the oldest while they are spent, expired, or too many: all
  // live the same time, so the oldest expire first.
  while (!issued_.empty()) {
    auto it = nonces_.find(issued_.front());
    bool stale = it == nonces_.end() || it->second <= now;
    if (!stale && issued_.size() < kMaxNonces) break;
    if (it != nonces_.end()) nonces_.erase(it);
    issued_.pop_front();
  }
  nonces_[nonce] = now + kAdminNonceSeconds;
  issued_.push_back(nonce);
  return nonce;
}

bool AdminAccess::SpendNonce(const std::string& nonce) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nonces_.find(nonce);
  if (it == nonces_.end()) return false;
  bool fresh = clock_.NowSeconds() < it->second;
  nonces_.erase(it);  // one try, whatever it was worth
  return fresh;
}

Status AdminAccess::Check(const HttpRequest& req) {
  std::string auth(req.Header("Authorization"));
  if (!policy_.token_hash.empty()) {
    if (auto proof = ParseAdminAuthorization(auth)) {
      std::string expected = AdminMac(policy_.token_hash, proof->nonce, req.method, req.target);
      // The nonce is spent first: a wrong MAC costs the caller its nonce.
      if (SpendNonce(proof->nonce) && SameSecret(proof->mac, expected)) return Status::Ok();
      return Status(Code::kForbidden,
                    "the admin proof does not hold (wrong token, or a nonce that expired or "
                    "was used); ask GET /api/v1/admin/challenge for a new nonce");
    }
    const std::string kBearer = "Bearer ";
    if (auth.compare(0, kBearer.size(), kBearer) == 0 &&
        TokenMatches(std::string_view(auth).substr(kBearer.size()), policy_.token_hash)) {
      return Status::Ok();
    }
  }
  bool proxied = Proxied(req);
  if (!proxied && req.peer_uid >= 0 && (req.peer_uid == policy_.own_uid || req.peer_uid == 0)) {
    return Status::Ok();
  }
  if (policy_.loopback && IsLoopbackAddress(req.remote_addr) && !proxied) return Status::Ok();
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
