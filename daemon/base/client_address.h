// Who a request comes from: the connecting peer, or, behind proxies the
// operator trusts (trusted_proxies), the address they forwarded. Worked
// out once per request by the front desk (HttpRequest::client) and used by
// the write gate, the access log and the admin check alike.
#ifndef PASTEBIN_DAEMON_BASE_CLIENT_ADDRESS_H_
#define PASTEBIN_DAEMON_BASE_CLIENT_ADDRESS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pastebin {

// Proxies whose X-Forwarded-For is believed: addresses and CIDR ranges,
// IPv4 and IPv6 ("127.0.0.1, 10.0.0.0/8, ::1"), and "unix" for clients of
// a Unix socket listener (a proxy on the same host).
class TrustedProxies {
 public:
  // kInvalidArgument naming the bad entry.
  static Result<TrustedProxies> Parse(const std::string& list);
  bool Contains(const std::string& address) const;
  bool empty() const { return ranges_.empty() && !trust_unix_; }

 private:
  struct Range {
    int family;              // AF_INET or AF_INET6
    unsigned char addr[16];  // network byte order
    int prefix;              // bits
  };
  std::vector<Range> ranges_;
  bool trust_unix_ = false;
};

// Who a limit counts a client as: an IPv4 address as it is, an IPv6 one
// as its first ipv6_prefix bits ("2001:db8:1:2::/64"), since one host is
// handed a whole /64 and may pick any address in it. Anything else (a Unix
// socket peer) as it is.
std::string LimitKey(const std::string& address, int ipv6_prefix);

// The canonical spelling of an IPv4 or IPv6 address (IPv4-mapped IPv6
// addresses as IPv4); nullopt for anything that is not an address.
std::optional<std::string> CanonicalAddress(std::string_view text);

// The address a request came from: the connecting peer, or, when the peer
// is a trusted proxy, the last address in X-Forwarded-For (all its fields
// joined) that is not one: the first hop the proxies vouch for, in
// canonical form. A hop that is not an IP address ends the walk: the
// nearest trusted hop is the client then.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const TrustedProxies& proxies);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_CLIENT_ADDRESS_H_
