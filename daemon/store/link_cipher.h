// LinkCipher: the links a SQLite store makes, as a keyed permutation of the
// numbers of its rows. The link of row n is n written in base 62 and
// encrypted with FF1 (NIST SP 800-38G: format-preserving encryption, AES-128
// with the store's secret key), in the shortlink alphabet. Each number has
// one link and each link one number, so a new paste's link needs no index
// to be unique, and a lookup goes straight to its row; without the key the
// links of consecutive rows are as unrelated as random ones (a guess finds
// a paste no more often than among random links: FF1 is a pseudorandom
// permutation of 62^7 ≈ 3.5e12 links, far above the standard's minimum of a
// million).
#ifndef PASTEBIN_DAEMON_STORE_LINK_CIPHER_H_
#define PASTEBIN_DAEMON_STORE_LINK_CIPHER_H_

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pastebin {

class LinkCipher {
 public:
  static constexpr size_t kKeyBytes = 16;  // AES-128

  // key: kKeyBytes bytes.
  static Result<LinkCipher> Make(std::string_view key);
  LinkCipher(LinkCipher&& other) noexcept;
  LinkCipher& operator=(LinkCipher&& other) noexcept;
  ~LinkCipher();

  // FF1 of the numerals x (each below radix) with tweak, and its inverse.
  // radix^ceil(n/2) must be below 2^64 and the tweak at most 255 bytes.
  std::vector<unsigned> Encrypt(const std::vector<unsigned>& x, unsigned radix,
                                std::string_view tweak) const;
  std::vector<unsigned> Decrypt(const std::vector<unsigned>& x, unsigned radix,
                                std::string_view tweak) const;

  // The link of number n, length characters (kShortlinkLength to
  // kMaxShortlinkLength) of kShortlinkAlphabet; n must be below 62^length.
  std::string LinkOf(uint64_t n, size_t length) const;
  // The number whose link is s, or nullopt when s is not kShortlinkLength
  // to kMaxShortlinkLength characters of the alphabet (an imported link).
  // All four throw std::bad_alloc when OpenSSL fails (out of memory), never
  // a wrong link.
  std::optional<uint64_t> NumberOf(std::string_view s) const;

 private:
  // A message as the numbers its two halves are.
  struct Halves {
    uint64_t a, b;
  };
  explicit LinkCipher(EVP_CIPHER_CTX* ctx);
  std::vector<unsigned> Run(const std::vector<unsigned>& x, unsigned radix, std::string_view tweak,
                            bool encrypt) const;
  Halves Rounds(Halves in, size_t n, unsigned radix, std::string_view tweak, bool encrypt) const;
  // AES-128-ECB with the key, no padding: each thread uses a copy of its
  // own, so that several can use one cipher at once.
  EVP_CIPHER_CTX* ctx_ = nullptr;
  uint64_t id_ = 0;  // which cipher a thread's copy is of
};

// A new random key for LinkCipher (from OpenSSL's generator), or an error.
Result<std::string> NewLinkKey();

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_LINK_CIPHER_H_
