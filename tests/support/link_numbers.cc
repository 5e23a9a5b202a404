// link_numbers KEY_HEX FIRST COUNT: the keyed links (link_cipher.h) of row
// numbers FIRST to FIRST + COUNT - 1, one a line, under the 16-byte key
// given in hex, 7 characters each. scripts/bench seeds its stores with
// them, so its pastes have the links pasted itself would give them.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "daemon/store/link_cipher.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: link_numbers KEY_HEX FIRST COUNT\n");
    return 2;
  }
  std::string hex = argv[1], key;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    key.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  auto cipher = pastebin::LinkCipher::Make(key);
  if (!cipher.ok()) {
    std::fprintf(stderr, "link_numbers: %s\n", cipher.status().message().c_str());
    return 1;
  }
  const unsigned long long first = std::strtoull(argv[2], nullptr, 10);
  const unsigned long long count = std::strtoull(argv[3], nullptr, 10);
  std::string out;
  for (unsigned long long n = first; n < first + count; ++n) {
    out += cipher->LinkOf(n, 7);
    out += '\n';
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
