// pasted's settings: one table (kSettings in settings.cc) of key, type,
// default, bounds and help serves the command-line flags, the config file and
// the documentation. Key a_b is flag --a-b. Flags override the file, the file
// overrides the defaults.
#ifndef PASTEBIN_DAEMON_SETTINGS_H_
#define PASTEBIN_DAEMON_SETTINGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "daemon/base/log.h"
#include "daemon/store/stores.h"

namespace pastebin {

constexpr int kDefaultPort = 8077;

struct Settings {
  std::string listen_host;
  int listen_port = 0;       // 0 = any free port (tests)
  std::string listen_unix;   // set for listen = unix:PATH (then no host/port)
  std::string local_socket;  // a 0600 Unix socket for pasted's own user; "" none
  std::string data_dir;
  std::string public_url;  // empty: derived from each request's Host
  int64_t max_paste_bytes = 0;
  int64_t threads = 0;
  int64_t max_connections = 0;  // 0 = auto, from RLIMIT_NOFILE
  int64_t max_upload_memory = 0;
  int64_t max_output_memory = 0;
  int64_t min_upload_rate = 0;    // bytes a second; 0 = off
  int64_t min_download_rate = 0;  // bytes a second; 0 = off
  int64_t request_timeout = 0;    // seconds
  int64_t keepalive_timeout = 0;  // seconds
  int64_t cache_bytes = 0;
  int64_t max_age = 0;  // seconds HTTP caches may keep a paste
  int64_t inline_max_bytes = 0;
  int64_t wal_limit = 0;  // bytes SQLite's write-ahead log may reach
  LogLevel log_level = LogLevel::kInfo;
  int64_t default_expiry_minutes = 0;  // 0 = never
  int64_t max_expiry_minutes = 0;      // 0 = no maximum
  bool admin_loopback = false;         // loopback clients are admins
  std::string admin_token;             // empty: DATA_DIR/admin.token
  std::string admin_token_file;        // read at start-up instead
  std::string access_log;              // empty: DATA_DIR/access.log
  std::string store;                   // "sqlite" or "postgres"
  std::string postgres_url;            // libpq connection string (store postgres)
  std::string postgres_read_url;       // a replica for reads; empty: none
  int64_t postgres_timeout = 0;        // seconds: the longest wait on PostgreSQL
  std::string node_name;               // empty: the host name
  int64_t rate_limit = 0;              // writes a minute per client; 0 = off
  int64_t rate_limit_burst = 0;
  int64_t rate_limit_ipv6_prefix = 64;  // bits naming an IPv6 client
  int64_t miss_limit = 0;               // 404s a minute per client; 0 = off
  int64_t miss_limit_burst = 0;
  int64_t link_length = 7;      // characters of new links
  std::string trusted_proxies;  // addresses/CIDRs, comma-separated
  std::string tcp_listen_host;  // empty: no TCP pastes
  int tcp_listen_port = 0;
  int64_t tcp_idle_timeout = 0;  // seconds
  std::string tls_cert;          // PEM chain: serve HTTPS when set
  std::string tls_key;

  std::string config_file;  // where the file settings came from, if any
};

enum class SettingType {
  kString,
  kPath,
  kHostPort,
  kUrl,
  kInteger,
  kBytes,
  kDuration,
  kLevel,
  kBool,
  kFile,
};

struct SettingDef {
  const char* key;
  SettingType type;
  const char* default_value;  // as written in a config file; "" = none
  int64_t min;                // bounds for kInteger and kBytes
  int64_t max;
  const char* help;
  Status (*set)(Settings& settings, std::string_view value, const SettingDef& def);
};

// Every setting, in documentation order.
const std::vector<SettingDef>& SettingDefs();

// "max_paste_bytes" → "--max-paste-bytes".
std::string FlagName(std::string_view key);

// What --help and pasted(8) call a setting's value: its type's name
// (N, BYTES, FILE, yes|no, ...) or a closer one (CONNINFO for postgres_url).
std::string SettingValueName(const SettingDef& def);

// Applies "key = value" lines from a config file's text; errors name
// file:line and the key ("pasted.conf:2: unknown key 'no_such_key'").
Status ApplyConfigText(Settings& settings, std::string_view text, const std::string& file_name);

// Applies one key; errors name the key and the accepted values.
Status ApplySetting(Settings& settings, std::string_view key, std::string_view value);

// The defaults from the table, plus data_dir from $XDG_DATA_HOME (or
// ~/.local/share)/pastebin.
Settings DefaultSettings();

// Checks what no single key can: default_expiry within max_expiry, and
// admin_token and admin_token_file not both set.
Status ValidateSettings(const Settings& settings);

// The stores as the settings name them: kind, data dir, WAL limit, the
// PostgreSQL URLs, timeout and node name as set (a node without a name is
// its caller's to name).
StoreOptions StoreOptionsOf(const Settings& settings);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_SETTINGS_H_
