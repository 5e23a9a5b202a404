// Server URLs as users give them: http[s]://HOST[:PORT][/PREFIX], or
// unix:PATH for a pasted listening on a Unix socket.
#ifndef PASTEBIN_COMMON_URL_H_
#define PASTEBIN_COMMON_URL_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace pastebin {

struct ServerUrl {
  std::string scheme;  // "http" or "https" ("http" for a Unix socket)
  std::string host;    // without brackets for IPv6; "localhost" for a Unix socket
  int port = 0;        // explicit or the scheme's default
  std::string prefix;  // "" or "/some/path" without a trailing slash
  // Set for unix:PATH: the socket to dial instead of host:port.
  std::string unix_socket;
  // The user's own local pasted (no server named): pastebin dials it only
  // through a listener it verified as the user's (cli/local_server.h).
  bool own_local = false;

  // "http://host:port" (IPv6 hosts bracketed), or "unix:PATH" for a socket
  // named as the server: what messages name.
  std::string Origin() const;
  // Origin() + prefix: the base that paths are appended to.
  std::string Base() const { return Origin() + prefix; }
};

// Parses a server URL. A missing scheme is an error rather than a guess, so
// that "localhost:8077" gets a message showing the expected form. Query and
// fragment are not allowed; a Unix socket's PATH is absolute and fits a
// socket address (at most 107 bytes). kInvalidArgument naming the input on
// failure.
Result<ServerUrl> ParseServerUrl(std::string_view text);

// OK for what a short link may point at: an absolute http:// or https://
// URL with a host, of printable ASCII (spaces and the like percent-encoded),
// at most kMaxLinkTargetLength long. kInvalidArgument saying what is wrong
// otherwise (javascript:, other schemes, relative URLs, junk).
constexpr size_t kMaxLinkTargetLength = 2048;
Status CheckLinkTarget(std::string_view url);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_URL_H_
