// The user's own local pasted: what pastebin talks to when no server is
// named (--server, PASTEBIN_SERVER, the config file), and what it autostarts.
// Its links say http://127.0.0.1:8077, but pastebin only ever sends to a
// listener it has verified as this user's:
//   - the private Unix socket (LocalSocketPath), when it is this user's and
//     sits in a directory nobody else may write to;
//   - else TCP to 127.0.0.1:8077, when every listener that would take the
//     connection (/proc/net/tcp and tcp6) belongs to this user.
// Another user holding the port gets nothing — no paste, no token — and
// the user is told who holds it.
#ifndef PASTEBIN_CLI_LOCAL_SERVER_H_
#define PASTEBIN_CLI_LOCAL_SERVER_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "common/url.h"

namespace pastebin {

// True for the local default however it is spelled: http://127.0.0.1:8077
// or http://localhost:8077.
bool IsLocalDefault(const ServerUrl& url);
// The default local server: http://127.0.0.1:8077, marked own_local.
ServerUrl LocalDefaultServer();

// $XDG_RUNTIME_DIR/pastebin/pasted.sock when XDG_RUNTIME_DIR is set, else
// DATA_DIR/pasted.sock in the autostart data dir; "" when neither can be
// named (no HOME).
std::string LocalSocketPath();

// The uids of the TCP listeners a connection to 127.0.0.1:port would
// reach: those bound to 127.0.0.1, 0.0.0.0, ::1 or :: on port, in LISTEN.
std::vector<uid_t> LoopbackListenerUids(int port);

// Where to send for the local server now: the socket (unix_socket set) or
// TCP, verified as above. kForbidden when the port is held by another
// user; kUnavailable, saying so, when nothing of this user's listens (then
// autostart may start one).
Result<ServerUrl> DialLocal(const ServerUrl& local);

}  // namespace pastebin

#endif  // PASTEBIN_CLI_LOCAL_SERVER_H_
