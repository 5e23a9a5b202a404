#include "daemon/token.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>
#include <unistd.h>

#include <fstream>

namespace pastebin {
namespace {

// Fetched once: EVP_sha256() makes OpenSSL 3 look the implementation up on
// every digest, which costs twice the digest of a token.
const EVP_MD* Sha256() {
  static const EVP_MD* md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
  }();
  return md;
}

}  // namespace

std::string HashToken(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), digest, &len, Sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

bool TokenMatches(std::string_view token, std::string_view stored_hash) {
  std::string hash = HashToken(token);
  return hash.size() == stored_hash.size() &&
         CRYPTO_memcmp(hash.data(), stored_hash.data(), hash.size()) == 0;
}

Result<std::string> LoadOrCreateTokenFile(const std::string& path, Random& random) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::string token = RandomHex(random, 16);
    std::string line = token + "\n";
    bool ok = !token.empty() &&
              write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
              fsync(fd) == 0;
    close(fd);
    if (!ok) {
      unlink(path.c_str());
      return Internal("cannot write " + path + "; check the data dir");
    }
    return token;
  }
  if (errno != EEXIST) {
    return Internal("cannot create " + path + ": " + strerror(errno) +
                    "; check the data dir's permissions");
  }
  std::ifstream in(path);
  std::string token;
  if (!in || !std::getline(in, token)) {
    return InvalidArgument("cannot read " + path + "; check that pasted may read it");
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) {
    return InvalidArgument(path +
                           " is empty; put the token on its first line, or delete "
                           "the file to have a new one made");
  }
  return token;
}

Result<std::string> AdminToken(const std::string& token, const std::string& token_file,
                               const std::string& data_dir, Random& random) {
  if (!token.empty()) return token;
  if (token_file.empty()) return LoadOrCreateTokenFile(data_dir + "/admin.token", random);
  std::ifstream in(token_file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return InvalidArgument("cannot read admin_token_file " + token_file +
                           "; check that it exists and pasted may read it");
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) {
    return InvalidArgument("admin_token_file " + token_file +
                           " is empty; put the token on its first line");
  }
  return line;
}

}  // namespace pastebin
