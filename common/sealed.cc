#include "common/sealed.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>
#include <vector>

namespace pastebin {
namespace {

constexpr size_t kKeyBytes = 32, kIvBytes = 12, kTagBytes = 16, kSaltBytes = 16;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// The AES key: key itself, or with a password, SHA-256(key || PBKDF2(...)).
Result<std::string> AesKey(const std::string& key, const std::string& password,
                           const std::string& salt, int iterations) {
  if (salt.empty()) return key;
  unsigned char derived[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof(derived),
                        derived) != 1) {
    return Internal("PBKDF2 failed");
  }
  std::string both = key + std::string(reinterpret_cast<char*>(derived), sizeof(derived));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(both.data()), both.size(), digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof(digest));
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return "";
  }
  return out;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const char* at = std::char_traits<char>::find(kAlphabet, 64, c);
    if (!at) return InvalidArgument("not base64url");
    acc = (acc << 6) | static_cast<uint32_t>(at - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6) return InvalidArgument("not base64url");  // a dangling character
  return out;
}

Result<Sealed> Seal(std::string_view plaintext, const std::string& password) {
  std::string key = RandomBytes(kKeyBytes), iv = RandomBytes(kIvBytes);
  std::string salt = password.empty() ? "" : RandomBytes(kSaltBytes);
  if (key.empty() || iv.empty() || (!password.empty() && salt.empty())) {
    return Status(Code::kUnavailable, "the random number generator failed");
  }
  int iterations = password.empty() ? 0 : kPasswordIterations;
  auto aes = AesKey(key, password, salt, iterations);
  if (!aes.ok()) return aes.status();
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plaintext.size() + kTagBytes, '\0');
  int n = 0, tail = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(aes->data()),
                         reinterpret_cast<const unsigned char*>(iv.data())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o, &n, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), o + n, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, o + n + tail) != 1) {
    return Internal("AES-256-GCM encryption failed");
  }
  out.resize(static_cast<size_t>(n + tail) + kTagBytes);
  Sealed sealed;
  sealed.body = std::string(kSealedPrefix) + std::to_string(iterations) + ":" +
                Base64UrlEncode(salt) + ":" + Base64UrlEncode(iv + out);
  sealed.key = Base64UrlEncode(key);
  return sealed;
}

bool IsSealed(std::string_view body) {
  return body.compare(0, sizeof(kSealedPrefix) - 1, kSealedPrefix) == 0;
}

bool NeedsPassword(std::string_view body) {
  return IsSealed(body) && body.substr(sizeof(kSealedPrefix) - 1, 2) != "0:";
}

namespace {

// The rounds a sealed body names: -1 when malformed.
int64_t RoundsOf(std::string_view body) {
  std::string_view rest = body.substr(sizeof(kSealedPrefix) - 1);
  std::string_view text = rest.substr(0, rest.find(':'));
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != text.npos) {
    return -1;
  }
  return std::stoll(std::string(text));
}

}  // namespace

Status CheckRounds(std::string_view body) {
  if (!IsSealed(body)) return Status();
  int64_t rounds = RoundsOf(body);
  if (rounds <= kMaxPasswordIterations) return Status();
  return InvalidArgument("the paste asks for " + std::to_string(rounds) +
                         " password rounds (PBKDF2); pastebin opens at most " +
                         std::to_string(kMaxPasswordIterations) +
                         ", so that a link cannot hold its reader's CPU for minutes; it was not "
                         "made by pastebin");
}

Result<std::string> Unseal(std::string_view body, std::string_view key_text,
                           const std::string& password) {
  if (!IsSealed(body)) return InvalidArgument("not an encrypted paste");
  std::string_view rest = body.substr(sizeof(kSealedPrefix) - 1);
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r')) rest.remove_suffix(1);
  size_t c1 = rest.find(':'), c2 = c1 == std::string_view::npos ? c1 : rest.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return InvalidArgument("a malformed encrypted paste");
  std::string iters_text(rest.substr(0, c1));
  if (iters_text.empty() || iters_text.size() > 9 ||
      iters_text.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("a malformed encrypted paste");
  }
  int iterations = std::stoi(iters_text);
  if (Status rounds = CheckRounds(body); !rounds.ok()) return rounds;
  auto salt = Base64UrlDecode(rest.substr(c1 + 1, c2 - c1 - 1));
  auto data = Base64UrlDecode(rest.substr(c2 + 1));
  auto key = Base64UrlDecode(key_text);
  if (!salt.ok() || !data.ok() || data->size() < kIvBytes + kTagBytes) {
    return InvalidArgument("a malformed encrypted paste");
  }
  if (!key.ok() || key->size() != kKeyBytes) {
    return InvalidArgument("the key in the link is not one (43 characters of base64url)");
  }
  if (!salt->empty() && (iterations < 1 || password.empty())) {
    return Status(Code::kForbidden, "this paste needs its password too");
  }
  auto aes = AesKey(*key, password, *salt, iterations);
  if (!aes.ok()) return aes.status();
  const auto* d = reinterpret_cast<const unsigned char*>(data->data());
  size_t text = data->size() - kIvBytes - kTagBytes;
  std::string out(text, '\0');
  int n = 0, tail = 0;
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  std::vector<unsigned char> tag(d + kIvBytes + text, d + data->size());
  bool ok = ctx &&
            EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(aes->data()), d) == 1 &&
            EVP_DecryptUpdate(ctx.get(), o, &n, d + kIvBytes, static_cast<int>(text)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), o + n, &tail) == 1;
  if (!ok) {
    return Status(Code::kForbidden, salt->empty() ? "the key in the link does not open this paste"
                                                  : "the key and password do not open this paste");
  }
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

}  // namespace pastebin
