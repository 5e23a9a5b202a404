// File descriptors: how many pasted may open, and how many connections
// that leaves room for (max_connections = auto).
#ifndef PASTEBIN_DAEMON_BASE_FD_LIMIT_H_
#define PASTEBIN_DAEMON_BASE_FD_LIMIT_H_

#include <cstdint>

namespace pastebin {

// Raises the soft RLIMIT_NOFILE to the hard limit (systemd and most shells
// start services at 1024 with a far higher hard limit) and returns the soft
// limit now in force.
int64_t RaiseFileLimit();

struct ConnectionCaps {
  int64_t http = 0;
  int64_t tcp = 0;   // the raw TCP paste listener, when it is on
  int64_t room = 0;  // descriptors left for connections in all
};

// Caps for a process allowed fd_limit descriptors with `threads` workers:
// what the stores, logs and workers may hold open is set aside first (each
// worker may hold a SQLite reader and a body file). When tcp is on it gets
// a fifth of the room. requested is max_connections (0 = auto, at most
// 10000 HTTP and 1000 TCP connections).
ConnectionCaps PlanConnections(int64_t fd_limit, int64_t threads, bool tcp, int64_t requested);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_FD_LIMIT_H_
