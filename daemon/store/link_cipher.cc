#include "daemon/store/link_cipher.h"

#include <openssl/rand.h>

#include <atomic>
#include <cstring>
#include <new>
#include <utility>

#include "common/shortlink.h"

namespace pastebin {
namespace {

using U128 = unsigned __int128;
constexpr unsigned kRadix = sizeof(kShortlinkAlphabet) - 1;  // 62
constexpr size_t kRounds = 10;

uint64_t Power(unsigned radix, size_t m) {
  uint64_t out = 1;
  for (size_t i = 0; i < m; ++i) out *= radix;
  return out;
}

// NUM_radix: the numerals as a number, the most significant first.
uint64_t Number(const std::vector<unsigned>& x, unsigned radix) {
  uint64_t out = 0;
  for (unsigned digit : x) out = out * radix + digit;
  return out;
}

// STR^m_radix: m numerals of value, the most significant first.
std::vector<unsigned> Numerals(uint64_t value, unsigned radix, size_t m) {
  std::vector<unsigned> out(m);
  for (size_t i = m; i-- > 0;) {
    out[i] = static_cast<unsigned>(value % radix);
    value /= radix;
  }
  return out;
}

// (x + y) mod m for x, y at most m: in 64 bits unless the sum could
// overflow them (m past 2^63).
uint64_t AddMod(uint64_t x, uint64_t y, uint64_t m) {
  if (m <= (uint64_t{1} << 63)) return (x + y) % m;
  return static_cast<uint64_t>((U128(x) + y) % m);
}

size_t BitLength(uint64_t v) { return v == 0 ? 0 : 64 - static_cast<size_t>(__builtin_clzll(v)); }

// Each thread's context: a copy of the last cipher it used (by id), so a
// thread copies a key's AES context once, not for each link. OpenSSL fails
// here only out of memory, and a link must never come from a context that
// did not work: that throws (as GzipCompress does).
EVP_CIPHER_CTX* Scratch(const EVP_CIPHER_CTX* of, uint64_t id) {
  thread_local struct Holder {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    uint64_t id = 0;
    ~Holder() { EVP_CIPHER_CTX_free(ctx); }
  } holder;
  if (holder.id != id) {
    holder.id = 0;
    if (holder.ctx == nullptr || EVP_CIPHER_CTX_copy(holder.ctx, of) != 1) throw std::bad_alloc();
    holder.id = id;
  }
  return holder.ctx;
}

std::atomic<uint64_t> g_next_cipher_id{1};

}  // namespace

Result<LinkCipher> LinkCipher::Make(std::string_view key) {
  if (key.size() != kKeyBytes) {
    return Internal("a link key has " + std::to_string(key.size()) + " bytes, not " +
                    std::to_string(kKeyBytes));
  }
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr ||
      EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr,
                         reinterpret_cast<const unsigned char*>(key.data()), nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
    EVP_CIPHER_CTX_free(ctx);
    return Internal("OpenSSL could not set up AES-128 for links");
  }
  return LinkCipher(ctx);
}

LinkCipher::LinkCipher(EVP_CIPHER_CTX* ctx) : ctx_(ctx), id_(g_next_cipher_id.fetch_add(1)) {}

LinkCipher::LinkCipher(LinkCipher&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), id_(std::exchange(other.id_, 0)) {}

LinkCipher& LinkCipher::operator=(LinkCipher&& other) noexcept {
  std::swap(ctx_, other.ctx_);
  std::swap(id_, other.id_);
  return *this;
}

LinkCipher::~LinkCipher() { EVP_CIPHER_CTX_free(ctx_); }

std::vector<unsigned> LinkCipher::Encrypt(const std::vector<unsigned>& x, unsigned radix,
                                          std::string_view tweak) const {
  return Run(x, radix, tweak, /*encrypt=*/true);
}

std::vector<unsigned> LinkCipher::Decrypt(const std::vector<unsigned>& x, unsigned radix,
                                          std::string_view tweak) const {
  return Run(x, radix, tweak, /*encrypt=*/false);
}

std::vector<unsigned> LinkCipher::Run(const std::vector<unsigned>& x, unsigned radix,
                                      std::string_view tweak, bool encrypt) const {
  const size_t u = x.size() / 2;
  std::vector<unsigned> a(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(u));
  std::vector<unsigned> b(x.begin() + static_cast<std::ptrdiff_t>(u), x.end());
  Halves h = Rounds({Number(a, radix), Number(b, radix)}, x.size(), radix, tweak, encrypt);
  std::vector<unsigned> out = Numerals(h.a, radix, u);
  std::vector<unsigned> right = Numerals(h.b, radix, x.size() - u);
  out.insert(out.end(), right.begin(), right.end());
  return out;
}

// FF1.Encrypt and FF1.Decrypt (SP 800-38G, algorithms 7 and 8) on the
// numbers the message's halves are (NUM_radix(A), NUM_radix(B)): a round's
// STR^m_radix(c) is only ever read back as c, so the halves stay numbers.
LinkCipher::Halves LinkCipher::Rounds(Halves in, size_t n, unsigned radix, std::string_view tweak,
                                      bool encrypt) const {
  const size_t u = n / 2;
  const size_t v = n - u;
  const uint64_t radix_u = Power(radix, u);
  const uint64_t radix_v = Power(radix, v);
  const size_t b = (BitLength(radix_v - 1) + 7) / 8;  // ceil(ceil(v log2 radix) / 8)
  const size_t d = 4 * ((b + 3) / 4) + 4;             // <= 12: y is R's first d bytes
  const size_t t = tweak.size();
  const size_t pad = (16 - (t + b + 1) % 16) % 16;

  // P || Q, Q's last 1 + b bytes filled in each round.
  unsigned char local[64];
  std::vector<unsigned char> heap;
  const size_t size = 16 + t + pad + 1 + b;
  unsigned char* pq = local;
  if (size > sizeof(local)) {
    heap.resize(size);
    pq = heap.data();
  }
  std::memset(pq, 0, size);
  const unsigned char p[16] = {1,
                               2,
                               1,
                               static_cast<unsigned char>(radix >> 16),
                               static_cast<unsigned char>(radix >> 8),
                               static_cast<unsigned char>(radix),
                               10,
                               static_cast<unsigned char>(u % 256),
                               static_cast<unsigned char>(n >> 24),
                               static_cast<unsigned char>(n >> 16),
                               static_cast<unsigned char>(n >> 8),
                               static_cast<unsigned char>(n),
                               static_cast<unsigned char>(t >> 24),
                               static_cast<unsigned char>(t >> 16),
                               static_cast<unsigned char>(t >> 8),
                               static_cast<unsigned char>(t)};
  std::memcpy(pq, p, sizeof(p));
  if (t > 0) std::memcpy(pq + 16, tweak.data(), t);
  const size_t round_at = 16 + t + pad;

  EVP_CIPHER_CTX* aes = Scratch(ctx_, id_);
  // One block of AES (ECB: a block in, its cipher out).
  auto encrypt_block = [aes](const unsigned char* in, unsigned char* out) {
    int produced = 0;
    if (EVP_EncryptUpdate(aes, out, &produced, in, 16) != 1 || produced != 16) {
      throw std::bad_alloc();
    }
  };
  // R = PRF(P || Q) is AES-CBC-MAC with a zero IV: its first block, P, is
  // the same every round, so its cipher is made once (half the AES of a
  // link of 7).
  unsigned char after_p[16];
  encrypt_block(pq, after_p);
  uint64_t a = in.a, bb = in.b;
  for (size_t step = 0; step < kRounds; ++step) {
    const size_t i = encrypt ? step : kRounds - 1 - step;
    const uint64_t into_q = encrypt ? bb : a;
    pq[round_at] = static_cast<unsigned char>(i);
    for (size_t j = 0; j < b; ++j) pq[size - 1 - j] = static_cast<unsigned char>(into_q >> (8 * j));
    unsigned char r[16];
    std::memcpy(r, after_p, sizeof(r));
    for (size_t block = 16; block < size; block += 16) {
      unsigned char chained[16];
      for (size_t k = 0; k < 16; ++k) chained[k] = r[k] ^ pq[block + k];
      encrypt_block(chained, r);
    }
    const uint64_t radix_m = i % 2 == 0 ? radix_u : radix_v;
    uint64_t y_mod;
    if (d <= 8) {  // y fits 64 bits (links up to 9 characters): no 128-bit division
      uint64_t y = 0;
      for (size_t k = 0; k < d; ++k) y = (y << 8) | r[k];
      y_mod = y % radix_m;
    } else {
      U128 y = 0;
      for (size_t k = 0; k < d; ++k) y = (y << 8) | r[k];
      y_mod = static_cast<uint64_t>(y % radix_m);
    }
    if (encrypt) {
      const uint64_t c = AddMod(a, y_mod, radix_m);
      a = bb;
      bb = c;
    } else {
      const uint64_t c = AddMod(bb, radix_m - y_mod, radix_m);
      bb = a;
      a = c;
    }
  }
  return {a, bb};
}

std::string LinkCipher::LinkOf(uint64_t n, size_t length) const {
  const size_t u = length / 2;
  const uint64_t radix_v = Power(kRadix, length - u);
  Halves h = Rounds({n / radix_v, n % radix_v}, length, kRadix, "", /*encrypt=*/true);
  std::string out(length, '\0');
  for (size_t i = u; i-- > 0; h.a /= kRadix) out[i] = kShortlinkAlphabet[h.a % kRadix];
  for (size_t i = length; i-- > u; h.b /= kRadix) out[i] = kShortlinkAlphabet[h.b % kRadix];
  return out;
}

std::optional<uint64_t> LinkCipher::NumberOf(std::string_view s) const {
  if (s.size() < kShortlinkLength || s.size() > kMaxShortlinkLength) return std::nullopt;
  const size_t u = s.size() / 2;
  Halves h{0, 0};
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    unsigned digit;
    if (c >= 'A' && c <= 'Z') {
      digit = static_cast<unsigned>(c - 'A');
    } else if (c >= 'a' && c <= 'z') {
      digit = static_cast<unsigned>(c - 'a') + 26;
    } else if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0') + 52;
    } else {
      return std::nullopt;
    }
    uint64_t& half = i < u ? h.a : h.b;
    half = half * kRadix + digit;
  }
  h = Rounds(h, s.size(), kRadix, "", /*encrypt=*/false);
  const U128 n = U128(h.a) * Power(kRadix, s.size() - u) + h.b;
  if (n > U128(INT64_MAX)) return std::nullopt;  // no row has that number
  return static_cast<uint64_t>(n);
}

Result<std::string> NewLinkKey() {
  std::string key(LinkCipher::kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    return Status(Code::kUnavailable, "OpenSSL's random generator failed to make a link key");
  }
  return key;
}

}  // namespace pastebin
