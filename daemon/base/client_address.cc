#include "daemon/base/client_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "common/strings.h"

namespace pastebin {
namespace {

// Parses an address into family and 16 bytes; IPv4-mapped IPv6 addresses
// count as IPv4.
bool ParseAddress(const std::string& text, int* family, unsigned char* out) {
  memset(out, 0, 16);
  if (inet_pton(AF_INET, text.c_str(), out) == 1) {
    *family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), out) != 1) return false;
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (memcmp(out, kMapped, 12) == 0) {
    memmove(out, out + 12, 4);
    memset(out + 4, 0, 12);
    *family = AF_INET;
    return true;
  }
  *family = AF_INET6;
  return true;
}

}  // namespace

std::optional<std::string> CanonicalAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  int family;
  unsigned char a[16];
  if (!ParseAddress(std::string(text), &family, a)) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  if (!inet_ntop(family, a, buf, sizeof(buf))) return std::nullopt;
  return std::string(buf);
}

std::string LimitKey(const std::string& address, int ipv6_prefix) {
  int family;
  unsigned char a[16];
  if (!ParseAddress(address, &family, a) || family != AF_INET6 || ipv6_prefix >= 128) {
    return address;
  }
  int full = ipv6_prefix / 8, rem = ipv6_prefix % 8;
  if (rem) a[full] &= static_cast<unsigned char>(0xff << (8 - rem));
  memset(a + full + (rem ? 1 : 0), 0, 16 - full - (rem ? 1 : 0));
  char buf[INET6_ADDRSTRLEN];
  if (!inet_ntop(AF_INET6, a, buf, sizeof(buf))) return address;
  return std::string(buf) + "/" + std::to_string(ipv6_prefix);
}

Result<TrustedProxies> TrustedProxies::Parse(const std::string& list) {
  TrustedProxies out;
  std::string_view rest = list;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string entry(Trim(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (entry.empty()) continue;
    if (entry == "unix") {
      out.trust_unix_ = true;
      continue;
    }
    Range r;
    size_t slash = entry.find('/');
    std::string addr = entry.substr(0, slash);
    if (!ParseAddress(addr, &r.family, r.addr)) {
      return InvalidArgument("'" + entry + "' is not an IP address or CIDR range");
    }
    int max = r.family == AF_INET ? 32 : 128;
    r.prefix = max;
    if (slash != std::string::npos) {
      std::string bits = entry.substr(slash + 1);
      if (bits.empty() || bits.size() > 3 ||
          bits.find_first_not_of("0123456789") != std::string::npos || std::stoi(bits) > max) {
        return InvalidArgument("'" + entry + "' has a bad prefix length");
      }
      r.prefix = std::stoi(bits);
    }
    out.ranges_.push_back(r);
  }
  return out;
}

bool TrustedProxies::Contains(const std::string& address) const {
  if (address == "unix:") return trust_unix_;
  int family;
  unsigned char a[16];
  if (!ParseAddress(address, &family, a)) return false;
  for (const Range& r : ranges_) {
    if (r.family != family) continue;
    int full = r.prefix / 8, rem = r.prefix % 8;
    if (memcmp(a, r.addr, full) != 0) continue;
    if (rem && ((a[full] ^ r.addr[full]) & (0xff << (8 - rem)) & 0xff)) continue;
    return true;
  }
  return false;
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const TrustedProxies& proxies) {
  if (proxies.empty() || forwarded_for.empty() || !proxies.Contains(peer)) return peer;
  // Right to left: each trusted proxy appended the address it saw.
  std::string nearest = peer;  // the closest hop vouched for so far
  while (!forwarded_for.empty()) {
    size_t comma = forwarded_for.rfind(',');
    std::string_view hop =
        Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    if (hop.empty()) continue;
    // Only an address names a client. Anything else was made up by whoever
    // sent it; the hop that passed it on is all that is known.
    auto address = CanonicalAddress(hop);
    if (!address) return nearest;
    if (!proxies.Contains(*address)) return *address;
    nearest = *address;
  }
  return nearest;
}

}  // namespace pastebin
