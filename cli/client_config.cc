#include "cli/client_config.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "cli/local_server.h"
#include "common/duration.h"
#include "common/strings.h"

namespace pastebin {

Result<int> ParseTimeoutSeconds(const std::string& value) {
  if (value.empty() || value.size() > 4 ||
      value.find_first_not_of("0123456789") != std::string::npos || std::stoi(value) < 1 ||
      std::stoi(value) > 3600) {
    return InvalidArgument("expected a number of seconds from 1 to 3600, got '" + value + "'");
  }
  return std::stoi(value);
}

Result<ClientConfig> ParseClientConfig(std::string_view text, const std::string& file_name) {
  ClientConfig config;
  Status s = ParseConfigLines(
      text, file_name, [&](std::string_view key_view, std::string_view value_view) {
        std::string key(key_view), value(value_view);
        if (key == "server") {
          auto url = ParseServerUrl(value);
          if (!url.ok()) return url.status();
          config.server = value;
        } else if (key == "expire") {
          auto minutes = ParseDuration(value);
          if (!minutes.ok()) return InvalidArgument("key 'expire': " + minutes.status().message());
          config.expire = value;
        } else if (key == "admin_token") {
          config.admin_token = value;
        } else if (key == "admin_token_file") {
          config.admin_token_file = value;
        } else if (key == "autostart") {
          std::optional<bool> on = ParseBool(value);
          if (!on) {
            return InvalidArgument(
                "key 'autostart': expected yes or no (or true/false, on/off, "
                "1/0), got '" +
                value + "'");
          }
          config.autostart = *on;
        } else if (key == "timeout") {
          auto seconds = ParseTimeoutSeconds(value);
          if (!seconds.ok()) return InvalidArgument("key 'timeout': " + seconds.status().message());
          config.timeout_sec = *seconds;
        } else {
          return InvalidArgument(
              "unknown key '" + key +
              "' (known keys: server, expire, admin_token, admin_token_file, autostart, timeout)");
        }
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return config;
}

std::string ClientConfigPath() {
  std::string dir = XdgPastebinDir("XDG_CONFIG_HOME", ".config");
  return dir.empty() ? "" : dir + "/config";
}

Result<ClientConfig> LoadClientConfig() {
  std::string path = ClientConfigPath();
  if (path.empty()) return ClientConfig();
  std::ifstream in(path, std::ios::binary);
  if (!in) return ClientConfig();
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseClientConfig(buf.str(), path);
}

namespace {

// The first line of path, trimmed; "" if it cannot be read.
std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  return std::string(Trim(line));
}

}  // namespace

std::string ResolveAdminToken(const ClientConfig& config, const ServerUrl& server) {
  const char* env = getenv("PASTEBIN_ADMIN_TOKEN");
  if (env && env[0] != '\0') return env;
  if (config.admin_token) return *config.admin_token;
  const char* file = getenv("PASTEBIN_ADMIN_TOKEN_FILE");
  if (file && file[0] != '\0') return FirstLine(file);
  if (config.admin_token_file) return FirstLine(*config.admin_token_file);
  // The local server's own token: it only ever makes a proof (admin_auth.h),
  // and over the private socket none is needed. The local default named
  // outright, either way it is spelled (127.0.0.1 or localhost), is the
  // same server.
  std::string data_dir = XdgPastebinDir("XDG_DATA_HOME", ".local/share");
  if ((server.own_local || IsLocalDefault(server)) && !data_dir.empty()) {
    return FirstLine(data_dir + "/admin.token");
  }
  return "";
}

Result<ServerUrl> ResolveServer(const std::string& flag, const ClientConfig& config) {
  std::string source;
  std::string value;
  const char* env = getenv("PASTEBIN_SERVER");
  if (!flag.empty()) {
    source = "--server";
    value = flag;
  } else if (env && env[0] != '\0') {
    source = "PASTEBIN_SERVER";
    value = env;
  } else if (config.server) {
    source = ClientConfigPath();
    value = *config.server;
  } else {
    return LocalDefaultServer();
  }
  auto url = ParseServerUrl(value);
  if (!url.ok() && !source.empty()) {
    return InvalidArgument(source + ": " + url.status().message());
  }
  return url;
}

}  // namespace pastebin
