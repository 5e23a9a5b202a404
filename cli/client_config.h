// Where the CLI finds its server and defaults: --server, else
// $PASTEBIN_SERVER, else the config file ($XDG_CONFIG_HOME/pastebin/config,
// "key = value" lines), else http://127.0.0.1:8077.
#ifndef PASTEBIN_CLI_CLIENT_CONFIG_H_
#define PASTEBIN_CLI_CLIENT_CONFIG_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/url.h"

namespace pastebin {

constexpr char kDefaultServer[] = "http://127.0.0.1:8077";

struct ClientConfig {
  std::optional<std::string> server;            // "server = URL"
  std::optional<std::string> expire;            // "expire = DURATION", put's default
  std::optional<std::string> admin_token;       // "admin_token = T", for gc
  std::optional<std::string> admin_token_file;  // "admin_token_file = PATH"
  std::optional<bool> autostart;                // "autostart = yes|no" (see autostart.h)
  std::optional<int> timeout_sec;               // "timeout = SECONDS", 1 to 3600
};

// "10" → 10: whole seconds from 1 to 3600, for --timeout and timeout.
Result<int> ParseTimeoutSeconds(const std::string& value);

// Parses a config file's text. Errors name file:line and the key.
Result<ClientConfig> ParseClientConfig(std::string_view text, const std::string& file_name);

// $XDG_CONFIG_HOME/pastebin/config or ~/.config/pastebin/config; empty if
// neither variable is set.
std::string ClientConfigPath();

// Reads the config file; a missing file is an empty config.
Result<ClientConfig> LoadClientConfig();

// The admin token for admin commands (gc, stats): $PASTEBIN_ADMIN_TOKEN,
// else the config file's admin_token, else the first line of
// $PASTEBIN_ADMIN_TOKEN_FILE or of the config file's admin_token_file, else,
// for the user's own local server, the admin.token that server keeps in its
// data dir (what an autostarted pasted uses; see autostart.h). Empty when
// none of them gives one. pastebin never sends it: it proves it holds it
// (AddAdminProof).
std::string ResolveAdminToken(const ClientConfig& config, const ServerUrl& server);

// The server to talk to, by the precedence above. Errors name where the
// bad URL came from ("PASTEBIN_SERVER: invalid server URL ...").
Result<ServerUrl> ResolveServer(const std::string& flag, const ClientConfig& config);

}  // namespace pastebin

#endif  // PASTEBIN_CLI_CLIENT_CONFIG_H_
