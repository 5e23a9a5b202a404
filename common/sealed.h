// End-to-end encrypted pastes: sealed by the CLI, opened by the CLI or by
// the paste's page in a browser (WebCrypto); the server stores and serves
// only the sealed text. The body is one line of text:
//   pastebin-encrypted:v1:ITERATIONS:SALT:DATA
// DATA is base64url (no padding) of iv (12 bytes), AES-256-GCM ciphertext
// and tag (16 bytes). The key is 32 random bytes, base64url in the link's
// fragment (#KEY), which browsers never send. With a password, SALT is 16
// random bytes (base64url) and the AES key is
//   SHA-256(KEY || PBKDF2-HMAC-SHA256(password, SALT, ITERATIONS, 32 bytes));
// without one, ITERATIONS is 0, SALT empty, and the AES key is KEY itself.
#ifndef PASTEBIN_COMMON_SEALED_H_
#define PASTEBIN_COMMON_SEALED_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace pastebin {

constexpr char kSealedPrefix[] = "pastebin-encrypted:v1:";
// PBKDF2 rounds for a password (OWASP's advice for PBKDF2-HMAC-SHA256).
constexpr int kPasswordIterations = 600000;
// The most rounds a paste may ask of its reader. The rounds are written in
// the paste by whoever made it, and each reader computes them: 999,999,999
// would hold a reader's CPU for minutes (about 5 here, in a browser tab
// longer) before any password could be tried. 2,000,000 is about 0.7 s on
// the machine that measured 600,000 at 0.2 s, and leaves room to raise
// kPasswordIterations as advice moves. The page's app.js holds the same.
constexpr int kMaxPasswordIterations = 2000000;

struct Sealed {
  std::string body;  // what is pasted
  std::string key;   // base64url, for the link's fragment
};

// Seals plaintext with a fresh random key (and password, when not empty).
Result<Sealed> Seal(std::string_view plaintext, const std::string& password);

// True for a body Seal made.
bool IsSealed(std::string_view body);
// True for a sealed body that also needs a password.
bool NeedsPassword(std::string_view body);
// kInvalidArgument when a sealed body asks for more than
// kMaxPasswordIterations rounds (checked before asking for a password).
Status CheckRounds(std::string_view body);

// The plaintext of a sealed body. kInvalidArgument for a malformed body
// or key; kForbidden when key (or password) does not open it.
Result<std::string> Unseal(std::string_view body, std::string_view key,
                           const std::string& password);

std::string Base64UrlEncode(std::string_view bytes);
// nullopt-like: kInvalidArgument for anything not base64url.
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_SEALED_H_
