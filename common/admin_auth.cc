#include "common/admin_auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace pastebin {
namespace {

std::string Hex(const unsigned char* bytes, unsigned int n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

bool IsHex(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string AdminKey(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), digest, &len, EVP_sha256(), nullptr);
  return Hex(digest, len);
}

std::string AdminMac(std::string_view key, std::string_view nonce, std::string_view method,
                     std::string_view target) {
  std::string message;
  message.reserve(nonce.size() + method.size() + target.size() + 2);
  message.append(nonce).append("\n").append(method).append("\n").append(target);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return Hex(mac, len);
}

std::string AdminAuthorization(std::string_view token, std::string_view nonce,
                               std::string_view method, std::string_view target) {
  return std::string(kAdminScheme) + " nonce=" + std::string(nonce) +
         ", mac=" + AdminMac(AdminKey(token), nonce, method, target);
}

std::optional<AdminProof> ParseAdminAuthorization(std::string_view value) {
  std::string_view scheme = kAdminScheme;
  if (value.substr(0, scheme.size()) != scheme) return std::nullopt;
  value.remove_prefix(scheme.size());
  AdminProof out;
  while (!value.empty()) {
    while (!value.empty() && (value.front() == ' ' || value.front() == ',')) value.remove_prefix(1);
    size_t eq = value.find('=');
    if (eq == std::string_view::npos) break;
    std::string_view name = value.substr(0, eq);
    value.remove_prefix(eq + 1);
    size_t end = value.find_first_of(", ");
    std::string_view v = value.substr(0, end);
    value = end == std::string_view::npos ? std::string_view() : value.substr(end);
    if (name == "nonce") out.nonce = std::string(v);
    if (name == "mac") out.mac = std::string(v);
  }
  if (!IsHex(out.nonce) || !IsHex(out.mac)) return std::nullopt;
  return out;
}

}  // namespace pastebin
