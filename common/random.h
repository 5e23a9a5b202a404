// Random: the seam for randomness. Production code uses the OpenSSL CSPRNG;
// tests substitute a scripted source to force collisions.
#ifndef PASTEBIN_COMMON_RANDOM_H_
#define PASTEBIN_COMMON_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace pastebin {

class Random {
 public:
  virtual ~Random() = default;
  // Fills buf with n random bytes. Returns false if the source failed, in
  // which case buf must not be used. Thread-safe in every implementation.
  virtual bool Fill(uint8_t* buf, size_t n) = 0;
};

// OpenSSL's RAND_bytes. Thread-safe. Returns the process-wide instance.
Random& SystemRandom();

// n random bytes as 2n lowercase hex characters; empty string on failure.
std::string RandomHex(Random& random, size_t n);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_RANDOM_H_
