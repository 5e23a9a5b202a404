// Socket helpers shared by the HTTP server and the TCP paste server.
#ifndef PASTEBIN_DAEMON_HTTP_NET_UTIL_H_
#define PASTEBIN_DAEMON_HTTP_NET_UTIL_H_

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "common/status.h"

namespace pastebin {

// Milliseconds on the monotonic clock, for timeouts.
int64_t MonotonicMs();

// "127.0.0.1", "::1", ... for a socket address; "" for other families.
std::string AddressOf(const sockaddr_storage& addr);

// The port a socket is bound to; -1 if it is not a TCP/IP socket.
int PortOf(int fd);

// A non-blocking listening socket bound to host:port (port 0: any free
// port), with SO_REUSEADDR and the given backlog. kUnavailable naming the
// address, and `setting` (the key to change), on failure.
Result<int> ListenOn(const std::string& host, int port, int backlog, const std::string& setting);

// A non-blocking listening Unix socket at path with mode (0666: the folder
// decides who may connect; 0600: its owner alone). A stale socket file
// there is replaced; any other file is not. kUnavailable naming the path
// and `setting`.
Result<int> ListenOnUnix(const std::string& path, int backlog, int mode,
                         const std::string& setting);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_NET_UTIL_H_
