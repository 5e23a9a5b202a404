#include "common/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <climits>
#include <cstring>
#include <vector>

namespace pastebin {
namespace {

// Bumped in a forked child, so no buffered byte is handed out by both
// processes.
std::atomic<uint64_t> fork_generation{0};

void AfterForkInChild() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

// OpenSSL's RAND_bytes costs about 1.3 us a call whatever the size up to a
// few hundred bytes (its locks and parameter lookups), and a new paste asks
// for two small pieces (the link, the delete token). So each thread draws
// kBufferBytes at a time and hands them out; a byte handed out is wiped
// from the buffer.
class OpenSslRandom : public Random {
 public:
  OpenSslRandom() { pthread_atfork(nullptr, nullptr, AfterForkInChild); }

  bool Fill(uint8_t* buf, size_t n) override {
    if (n > kBufferBytes / 4) return Direct(buf, n);
    Buffer& b = ThreadBuffer();
    uint64_t generation = fork_generation.load(std::memory_order_relaxed);
    if (b.generation != generation) {
      OPENSSL_cleanse(b.bytes, sizeof(b.bytes));
      b.left = 0;
      b.generation = generation;
    }
    if (b.left < n) {
      if (!Direct(b.bytes, sizeof(b.bytes))) return false;
      b.left = sizeof(b.bytes);
    }
    uint8_t* from = b.bytes + sizeof(b.bytes) - b.left;
    std::memcpy(buf, from, n);
    OPENSSL_cleanse(from, n);
    b.left -= n;
    return true;
  }

 private:
  static constexpr size_t kBufferBytes = 512;

  struct Buffer {
    uint8_t bytes[kBufferBytes];
    size_t left = 0;
    uint64_t generation = 0;
    ~Buffer() { OPENSSL_cleanse(bytes, sizeof(bytes)); }
  };

  static Buffer& ThreadBuffer() {
    thread_local Buffer buffer;
    return buffer;
  }

  static bool Direct(uint8_t* buf, size_t n) {
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
  uint8_t small[64];
  std::vector<uint8_t> large;
  uint8_t* bytes = small;
  if (n > sizeof(small)) {
    large.resize(n);
    bytes = large.data();
  }
  if (!random.Fill(bytes, n)) return "";
  static const char kHex[] = "0123456789abcdef";
  std::string out(2 * n, '\0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  OPENSSL_cleanse(bytes, n);
  return out;
}

}  // namespace pastebin
