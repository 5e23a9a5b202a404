#include "common/random.h"

#include <openssl/rand.h>

#include <climits>
#include <vector>

namespace pastebin {
namespace {

class OpenSslRandom : public Random {
 public:
  bool Fill(uint8_t* buf, size_t n) override {
    while (n > 0) {
      int chunk = n > INT_MAX ? INT_MAX : static_cast<int>(n);
      if (RAND_bytes(buf, chunk) != 1) return false;
      buf += chunk;
      n -= static_cast<size_t>(chunk);
    }
    return true;
  }
};

}  // namespace

Random& SystemRandom() {
  static OpenSslRandom random;
  return random;
}

std::string RandomHex(Random& random, size_t n) {
  std::vector<uint8_t> bytes(n);
  if (!random.Fill(bytes.data(), n)) return "";
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

}  // namespace pastebin
