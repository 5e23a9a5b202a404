// The two pieces of the systemd protocol pasted speaks, without libsystemd:
// readiness notification (Type=notify) and socket activation.
#ifndef PASTEBIN_DAEMON_BASE_SYSTEMD_H_
#define PASTEBIN_DAEMON_BASE_SYSTEMD_H_

#include <optional>
#include <string_view>

namespace pastebin {

// Sends state ("READY=1", "STOPPING=1", "STATUS=...") to the service
// manager when $NOTIFY_SOCKET is set; does nothing otherwise. Returns false
// if sending failed.
bool NotifyServiceManager(std::string_view state);

// The listening socket systemd passed (LISTEN_PID is this process and
// LISTEN_FDS is 1: fd 3), or nullopt. Unsets the variables so children do
// not see them.
std::optional<int> InheritedListenSocket();

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_SYSTEMD_H_
