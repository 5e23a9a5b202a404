// Autostart: the two-command start. When the CLI talks to the default local
// address because nothing else was configured, and nothing answers there,
// it starts pasted in the background (like gpg-agent) and goes on.
//
// Never for a configured server (--server, $PASTEBIN_SERVER, or the config
// file's server). Switched off by PASTEBIN_AUTOSTART=0 or "autostart = no"
// in the config file. Two CLIs starting at once are safe: pasted's data-dir
// lock lets one daemon run, and both CLIs wait for it to answer.
#ifndef PASTEBIN_CLI_AUTOSTART_H_
#define PASTEBIN_CLI_AUTOSTART_H_

#include <sys/types.h>

#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/http_client.h"

namespace pastebin {

// The pasted holding a data dir's lock (its pasted.lock: the pid, then
// the URL once it has bound).
struct LockHolderInfo {
  pid_t pid = 0;
  std::string url;  // "" until it has bound
};

// The pasted holding dir's lock, if one does: a lock nobody holds is a
// leftover, whatever pid it names. kInvalidArgument for an unreadable or
// foreign lock file.
Result<std::optional<LockHolderInfo>> LockHolder(const std::string& dir);

// True when no server was named (flag, PASTEBIN_SERVER, config) and
// autostart is on (PASTEBIN_AUTOSTART, else the config's autostart, else
// yes); kInvalidArgument for a PASTEBIN_AUTOSTART that is no boolean.
Result<bool> AutostartApplies(const Globals& globals);

// Where an autostarted pasted keeps its data: $XDG_DATA_HOME/pastebin, or
// ~/.local/share/pastebin; empty when neither variable is set.
std::string AutostartDataDir();

// Starts pasted detached (its output in DATA_DIR/pasted.log) and waits up
// to 10 s until server answers /healthz. Says what it did on io.err.
// kUnavailable, pointing at the log, if it does not come up.
Status StartLocalServer(const ServerUrl& server, Io& io);

// Sends like HttpClient::Send; if the connection is refused and autostart
// applies, starts pasted and sends once more.
Result<HttpResponse> SendStartingServer(const Globals& globals, Io& io, const HttpClient& client,
                                        const std::string& method, const std::string& path,
                                        const std::string& body = "",
                                        const std::string& content_type = "",
                                        const HeaderList& headers = {},
                                        std::ostream* sink = nullptr);

}  // namespace pastebin

#endif  // PASTEBIN_CLI_AUTOSTART_H_
