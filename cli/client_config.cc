#include "cli/client_config.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "common/duration.h"

namespace pastebin {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<ClientConfig> ParseClientConfig(std::string_view text,
                                       const std::string& file_name) {
  ClientConfig config;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    std::string where = file_name + ":" + std::to_string(line_no) + ": ";
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument(where + "expected 'key = value', got '" +
                             std::string(line) + "'");
    }
    std::string key(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    if (key == "server") {
      auto url = ParseServerUrl(value);
      if (!url.ok()) return InvalidArgument(where + url.status().message());
      config.server = value;
    } else if (key == "expire") {
      auto minutes = ParseDuration(value);
      if (!minutes.ok()) {
        return InvalidArgument(where + "key 'expire': " +
                               minutes.status().message());
      }
      config.expire = value;
    } else if (key == "admin_token") {
      config.admin_token = value;
    } else if (key == "autostart") {
      if (value != "yes" && value != "no") {
        return InvalidArgument(where + "key 'autostart': expected yes or no, got '" +
                               value + "'");
      }
      config.autostart = value == "yes";
    } else {
      return InvalidArgument(where + "unknown key '" + key +
                             "' (known keys: server, expire, admin_token, "
                             "autostart)");
    }
  }
  return config;
}

std::string ClientConfigPath() {
  const char* xdg = getenv("XDG_CONFIG_HOME");
  if (xdg && xdg[0] == '/') return std::string(xdg) + "/pastebin/config";
  const char* home = getenv("HOME");
  if (home && home[0] == '/') return std::string(home) + "/.config/pastebin/config";
  return "";
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

std::string ResolveAdminToken(const ClientConfig& config) {
  const char* env = getenv("PASTEBIN_ADMIN_TOKEN");
  if (env && env[0] != '\0') return env;
  return config.admin_token.value_or("");
}

Result<ServerUrl> ResolveServer(const std::string& flag,
                                const ClientConfig& config) {
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
    value = kDefaultServer;
  }
  auto url = ParseServerUrl(value);
  if (!url.ok() && !source.empty()) {
    return InvalidArgument(source + ": " + url.status().message());
  }
  return url;
}

}  // namespace pastebin
