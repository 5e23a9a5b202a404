#include "daemon/settings.h"

#include <stdio.h>
#include <stdlib.h>

#include <map>

#include "common/duration.h"
#include "common/strings.h"
#include "common/url.h"
#include "daemon/base/client_address.h"

namespace pastebin {
namespace {

Status Bad(const SettingDef& def, std::string_view value, const std::string& expected) {
  return InvalidArgument("key '" + std::string(def.key) + "': invalid value '" +
                         std::string(value) + "', expected " + expected);
}

template <std::string Settings::*F>
Status SetString(Settings& s, std::string_view v, const SettingDef&) {
  s.*F = std::string(v);
  return Status::Ok();
}

Status SetStore(Settings& s, std::string_view v, const SettingDef& def) {
  if (v != "sqlite" && v != "postgres") return Bad(def, v, "sqlite or postgres");
  s.store = std::string(v);
  return Status::Ok();
}

template <std::string Settings::*F>
Status SetPath(Settings& s, std::string_view v, const SettingDef& def) {
  if (!v.empty() && v.front() != '/') {
    return Bad(def, v, "an absolute path");
  }
  s.*F = std::string(v);
  return Status::Ok();
}

template <int64_t Settings::*F>
Status SetDuration(Settings& s, std::string_view v, const SettingDef& def) {
  auto minutes = ParseDuration(v);
  if (!minutes.ok()) {
    return Bad(def, v, "a duration such as 30m, 2h, 7d, 2w, or never");
  }
  s.*F = *minutes;
  return Status::Ok();
}

Status SetListen(Settings& s, std::string_view v, const SettingDef& def) {
  const std::string kForm = "HOST:PORT (e.g. 127.0.0.1:8077 or [::1]:8077)";
  if (def.key == std::string_view("listen") && v.compare(0, 5, "unix:") == 0) {
    std::string_view path = v.substr(5);
    if (path.empty() || path.front() != '/' || path.size() > 100) {
      return Bad(def, v, "unix:PATH with an absolute PATH of at most 100 bytes");
    }
    s.listen_unix = std::string(path);
    s.listen_host.clear();
    s.listen_port = 0;
    return Status::Ok();
  }
  size_t colon = v.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return Bad(def, v, kForm);
  std::string_view host = v.substr(0, colon);
  std::string_view port = v.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return Bad(def, v, kForm);
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return Bad(def, v, kForm + ", with IPv6 addresses in brackets");
  }
  if (port.empty() || port.size() > 5) return Bad(def, v, kForm);
  int p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return Bad(def, v, kForm);
    p = p * 10 + (c - '0');
  }
  if (p > 65535) return Bad(def, v, "a port from 0 to 65535");
  s.listen_host = std::string(host);
  s.listen_port = p;
  s.listen_unix.clear();
  return Status::Ok();
}

Status SetLocalSocket(Settings& s, std::string_view v, const SettingDef& def) {
  if (!v.empty() && (v.front() != '/' || v.size() > 100)) {
    return Bad(def, v, "an absolute path of at most 100 bytes, or nothing");
  }
  s.local_socket = std::string(v);
  return Status::Ok();
}

Status SetTcpListen(Settings& s, std::string_view v, const SettingDef& def) {
  if (v.empty() || v == "off") {
    s.tcp_listen_host.clear();
    s.tcp_listen_port = 0;
    return Status::Ok();
  }
  Settings parsed;
  Status st = SetListen(parsed, v, def);
  if (!st.ok()) return st;
  s.tcp_listen_host = parsed.listen_host;
  s.tcp_listen_port = parsed.listen_port;
  return Status::Ok();
}

Status SetPublicUrl(Settings& s, std::string_view v, const SettingDef& def) {
  if (!v.empty()) {
    auto url = ParseServerUrl(v);
    if (!url.ok()) return Bad(def, v, "an http:// or https:// URL");
    s.public_url = url->Base();
  } else {
    s.public_url.clear();
  }
  return Status::Ok();
}

// Integers, with an optional K/M/G (×1024) suffix for byte sizes.
template <int64_t Settings::*F>
Status SetInteger(Settings& s, std::string_view v, const SettingDef& def) {
  std::string expected =
      "a whole number from " + std::to_string(def.min) + " to " + std::to_string(def.max);
  if (def.type == SettingType::kBytes) expected += " (K, M or G may follow)";
  std::string_view digits = v;
  int64_t scale = 1;
  if (def.type == SettingType::kBytes && !digits.empty()) {
    switch (digits.back()) {
      case 'K':
      case 'k':
        scale = 1LL << 10;
        break;
      case 'M':
      case 'm':
        scale = 1LL << 20;
        break;
      case 'G':
      case 'g':
        scale = 1LL << 30;
        break;
      default:
        break;
    }
    if (scale != 1) digits.remove_suffix(1);
  }
  if (digits.empty() || digits.size() > 12) return Bad(def, v, expected);
  int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return Bad(def, v, expected);
    n = n * 10 + (c - '0');
  }
  n *= scale;
  if (n < def.min || n > def.max) return Bad(def, v, expected);
  s.*F = n;
  return Status::Ok();
}

template <bool Settings::*F>
Status SetBool(Settings& s, std::string_view v, const SettingDef& def) {
  auto b = ParseBool(v);
  if (!b) return Bad(def, v, "yes or no");
  s.*F = *b;
  return Status::Ok();
}

// A count, or "auto" (stored as 0) for one derived at start-up.
Status SetConnections(Settings& s, std::string_view v, const SettingDef& def) {
  if (v == "auto") {
    s.max_connections = 0;
    return Status::Ok();
  }
  Status st = SetInteger<&Settings::max_connections>(s, v, def);
  if (!st.ok()) {
    return Bad(def, v,
               "auto, or a whole number from " + std::to_string(def.min) + " to " +
                   std::to_string(def.max));
  }
  return st;
}

Status SetProxies(Settings& s, std::string_view v, const SettingDef& def) {
  auto proxies = TrustedProxies::Parse(std::string(v));
  if (!proxies.ok()) {
    return Bad(def, v,
               "addresses or CIDR ranges separated by commas (" + proxies.status().message() + ")");
  }
  s.trusted_proxies = std::string(v);
  return Status::Ok();
}

Status SetLevel(Settings& s, std::string_view v, const SettingDef& def) {
  auto level = ParseLogLevel(v);
  if (!level) return Bad(def, v, "one of error, warn, info, debug");
  s.log_level = *level;
  return Status::Ok();
}

const std::vector<SettingDef> kSettings = {
    {"listen", SettingType::kHostPort, "127.0.0.1:8077", 0, 0,
     "Address and port to serve HTTP on (port 0 picks a free port), or "
     "unix:PATH for a Unix socket (e.g. behind nginx).",
     SetListen},
    {"local_socket", SettingType::kPath, "", 0, 0,
     "A Unix socket where pasted also serves, for its own user alone (mode "
     "0600; missing parent directories are made 0700): requests there are "
     "never proxied and are admin by peer credentials, so pastebin needs no "
     "token and sends nothing over a port another user could hold. "
     "pastebin's autostart uses $XDG_RUNTIME_DIR/pastebin/pasted.sock. "
     "Default: none.",
     SetLocalSocket},
    {"data_dir", SettingType::kPath, "", 0, 0,
     "Directory for the database and paste bodies, created if missing. "
     "Default: $XDG_DATA_HOME/pastebin (~/.local/share/pastebin).",
     SetPath<&Settings::data_dir>},
    {"public_url", SettingType::kUrl, "", 0, 0,
     "Base URL that links are built on (e.g. https://paste.example.org). "
     "Default: http:// and the Host header of each request.",
     SetPublicUrl},
    {"max_paste_bytes", SettingType::kBytes, "10M", 1, 1LL << 30,
     "Largest paste accepted, in bytes; larger ones get 413.",
     SetInteger<&Settings::max_paste_bytes>},
    {"threads", SettingType::kInteger, "64", 1, 4096,
     "Worker threads for requests that may block (writes waiting for their "
     "group commit, cold reads, gc); connections themselves need no thread.",
     SetInteger<&Settings::threads>},
    {"max_connections", SettingType::kInteger, "auto", 1, 1000000,
     "Open connections served at once; past it a new connection gets an "
     "immediate 503. auto: as many as the file descriptor limit "
     "(RLIMIT_NOFILE, raised to its hard limit at start) leaves room for, "
     "at most 10000.",
     SetConnections},
    {"request_timeout", SettingType::kInteger, "10", 1, 3600,
     "Seconds a client has to send a request's headers, and the longest it "
     "may pause while sending a body; then 408.",
     SetInteger<&Settings::request_timeout>},
    {"min_upload_rate", SettingType::kBytes, "1K", 0, 1LL << 30,
     "Bytes a second a request body must average once request_timeout "
     "seconds have passed since its headers (each byte buys 1/rate s more); "
     "slower clients get 408, so a trickle cannot hold a connection. 0 turns "
     "the check off.",
     SetInteger<&Settings::min_upload_rate>},
    {"min_download_rate", SettingType::kBytes, "1K", 0, 1LL << 30,
     "The average rate, in bytes a second, at which a client must take its "
     "answers once they have waited request_timeout seconds: each byte taken "
     "buys 1/rate seconds more. A slower client is disconnected, so one that "
     "asks for large answers and never reads cannot hold the memory they "
     "take. 0 turns the check off.",
     SetInteger<&Settings::min_download_rate>},
    {"max_upload_memory", SettingType::kBytes, "64M", 1LL << 20, 64LL << 30,
     "Memory for request bodies, over all clients at once, from their "
     "headers until their answer; a body that does not fit gets 503 with "
     "Retry-After. At least max_paste_bytes + 64K.",
     SetInteger<&Settings::max_upload_memory>},
    {"max_output_memory", SettingType::kBytes, "64M", 1LL << 20, 64LL << 30,
     "Memory for answers not yet sent, over all clients; past it a large "
     "answer becomes a 503 with Retry-After. A paste too big to cache draws "
     "on it from before its body is read (a burn, before its delete). A "
     "client that does not read its answers is not read either.",
     SetInteger<&Settings::max_output_memory>},
    {"keepalive_timeout", SettingType::kInteger, "30", 1, 3600,
     "Seconds an idle kept-alive connection stays open.", SetInteger<&Settings::keepalive_timeout>},
    {"cache_bytes", SettingType::kBytes, "32M", 0, 64LL << 30,
     "Memory for hot pastes, so popular links are served without touching "
     "SQLite or the disk; 0 turns the cache off.",
     SetInteger<&Settings::cache_bytes>},
    {"max_age", SettingType::kInteger, "3600", 0, 31536000,
     "Seconds browsers, proxies and CDNs may keep a paste without asking "
     "again (Cache-Control max-age), never past the paste's expiry; they "
     "revalidate with its ETag after. A deleted paste may live on in such "
     "caches this long. 0: they must ask every time.",
     SetInteger<&Settings::max_age>},
    {"inline_max_bytes", SettingType::kBytes, "64K", 0, 1LL << 30,
     "Bodies smaller than this as stored (after compression) live in the "
     "database, committed with their rows; larger ones are files in "
     "DATA_DIR/content. 0 makes every body a file.",
     SetInteger<&Settings::inline_max_bytes>},
    {"default_expiry", SettingType::kDuration, "never", 0, 0,
     "Expiry of pastes whose client names none: 30m, 2h, 7d, 2w or never.",
     SetDuration<&Settings::default_expiry_minutes>},
    {"max_expiry", SettingType::kDuration, "never", 0, 0,
     "Longest expiry accepted; never means no maximum. With a maximum, "
     "pastes that never expire are refused.",
     SetDuration<&Settings::max_expiry_minutes>},
    {"admin_token", SettingType::kString, "", 0, 0,
     "Token that opens the admin routes (gc, stats, metrics), sent as "
     "'Authorization: Bearer TOKEN'. Prefer admin_token_file. Default: a "
     "random token pasted keeps in DATA_DIR/admin.token (mode 0600), which "
     "pastebin reads for its own autostarted daemon.",
     SetString<&Settings::admin_token>},
    {"admin_token_file", SettingType::kFile, "", 0, 0, "File whose first line is the admin token.",
     SetPath<&Settings::admin_token_file>},
    {"admin_loopback", SettingType::kBool, "no", 0, 0,
     "Whether clients connecting from loopback (127.0.0.1, ::1) without "
     "proxy headers may use the admin routes without the token. Off by "
     "default: on a shared machine every local user is on loopback. Unix "
     "socket clients running as pasted's user (or root) always may.",
     SetBool<&Settings::admin_loopback>},
    {"access_log", SettingType::kFile, "", 0, 0,
     "Access log in Combined Log Format, the source of the visit "
     "statistics. Default: DATA_DIR/access.log.",
     SetPath<&Settings::access_log>},
    {"wal_limit", SettingType::kBytes, "64M", 1LL << 20, 64LL << 30,
     "The most SQLite's write-ahead log (DATA_DIR/pastes.db-wal) may reach "
     "(store sqlite). Past half of it the log is checkpointed until caught "
     "up, then started over between two commits, holding writers back for "
     "tens of milliseconds; past three quarters without waiting to catch up.",
     SetInteger<&Settings::wal_limit>},
    {"store", SettingType::kString, "sqlite", 0, 0,
     "Where pastes live: sqlite (DATA_DIR/pastes.db and DATA_DIR/content, "
     "one node) or postgres (postgres_url, shared by several nodes behind a "
     "load balancer; bodies in the rows).",
     SetStore},
    {"postgres_url", SettingType::kString, "", 0, 0,
     "libpq connection string or URI of the PostgreSQL database for store "
     "postgres; several hosts with target_session_attrs=read-write find a "
     "promoted standby without a restart.",
     SetString<&Settings::postgres_url>},
    {"postgres_read_url", SettingType::kString, "", 0, 0,
     "libpq connection string of a PostgreSQL replica for reads (store "
     "postgres): a paste not in this node's cache is looked up there, then, "
     "if the replica lacks it or is away, on postgres_url. Default: none "
     "(reads go to postgres_url).",
     SetString<&Settings::postgres_read_url>},
    {"postgres_timeout", SettingType::kInteger, "3", 1, 600,
     "Seconds pasted waits on PostgreSQL at most, whatever the network does "
     "(store postgres): to connect, for the server to acknowledge what was "
     "sent or to answer (TCP keepalives, tcp_user_timeout), for a statement "
     "to run. Past it a write gets 503 with Retry-After, /readyz 503, and a "
     "cached read is still served. What postgres_url itself says wins.",
     SetInteger<&Settings::postgres_timeout>},
    {"node_name", SettingType::kString, "", 0, 0,
     "This node's name among several (store postgres): its access log "
     "cursors and totals are kept under it, and no two live nodes may share "
     "it. Default: the host name and an id made once in the data dir "
     "(node.id), unique without configuration.",
     SetString<&Settings::node_name>},
    {"rate_limit", SettingType::kInteger, "0", 0, 1000000,
     "Pastes a client (IP address) may create a minute; more get 429 with "
     "Retry-After. 0 turns the limit off. Reads are never limited.",
     SetInteger<&Settings::rate_limit>},
    {"rate_limit_burst", SettingType::kInteger, "10", 1, 1000000,
     "Pastes a client may create at once before rate_limit applies.",
     SetInteger<&Settings::rate_limit_burst>},
    {"rate_limit_ipv6_prefix", SettingType::kInteger, "64", 32, 128,
     "Bits of an IPv6 client's address that name it for rate_limit and "
     "miss_limit: a host is handed a whole /64 and may use any address in "
     "it. IPv4 clients count by address.",
     SetInteger<&Settings::rate_limit_ipv6_prefix>},
    {"miss_limit", SettingType::kInteger, "120", 0, 1000000,
     "Requests for pastes that do not exist (404) a client may make a "
     "minute, after miss_limit_burst at once; past it, its lookups get 429 "
     "with Retry-After until the allowance refills, so links cannot be "
     "guessed at speed. 0 turns it off.",
     SetInteger<&Settings::miss_limit>},
    {"miss_limit_burst", SettingType::kInteger, "120", 1, 1000000,
     "Misses a client may make at once before miss_limit applies.",
     SetInteger<&Settings::miss_limit_burst>},
    {"link_length", SettingType::kInteger, "7", 7, 16,
     "Characters of [A-Za-z0-9] in new links. Each one more multiplies the "
     "links there are by 62: at 7 (3.5e12) a guesser allowed 2 misses a "
     "second finds one of a million unlisted pastes about every three weeks; "
     "at 10 (8.4e17), once in 13,000 years. Links made before keep their length.",
     SetInteger<&Settings::link_length>},
    {"trusted_proxies", SettingType::kString, "", 0, 0,
     "Reverse proxies whose X-Forwarded-For names the client, as addresses "
     "or CIDR ranges separated by commas (127.0.0.1, 10.0.0.0/8, ::1). "
     "Default: none, the connecting address is the client.",
     SetProxies},
    {"tcp_listen", SettingType::kHostPort, "off", 0, 0,
     "Address and port for pastes over raw TCP (cmd | nc HOST PORT, as with "
     "termbin); off by default.",
     SetTcpListen},
    {"tcp_idle_timeout", SettingType::kInteger, "1", 1, 60,
     "Seconds of silence that end a TCP paste when the client does not "
     "half-close (plain nc).",
     SetInteger<&Settings::tcp_idle_timeout>},
    {"tls_cert", SettingType::kFile, "", 0, 0,
     "A PEM certificate chain: with tls_key, pasted serves HTTPS (TLS 1.2 "
     "and 1.3) instead of HTTP. Default: none, plain HTTP.",
     SetPath<&Settings::tls_cert>},
    {"tls_key", SettingType::kFile, "", 0, 0, "The PEM private key of tls_cert.",
     SetPath<&Settings::tls_key>},
    {"log_level", SettingType::kLevel, "info", 0, 0,
     "Least severe messages logged: error, warn, info or debug.", SetLevel},
};

const char* TypeName(SettingType type) {
  switch (type) {
    case SettingType::kString:
      return "TEXT";
    case SettingType::kPath:
      return "DIR";
    case SettingType::kFile:
      return "FILE";
    case SettingType::kBool:
      return "yes|no";
    case SettingType::kHostPort:
      return "HOST:PORT";
    case SettingType::kUrl:
      return "URL";
    case SettingType::kInteger:
      return "N";
    case SettingType::kBytes:
      return "BYTES";
    case SettingType::kDuration:
      return "DURATION";
    case SettingType::kLevel:
      return "LEVEL";
  }
  return "VALUE";
}

std::string DefaultDataDir() { return XdgPastebinDir("XDG_DATA_HOME", ".local/share"); }

}  // namespace

std::string SettingValueName(const SettingDef& def) {
  static const std::map<std::string, std::string> kNames = {
      {"store", "sqlite|postgres"},    {"local_socket", "PATH"},
      {"postgres_url", "CONNINFO"},    {"postgres_read_url", "CONNINFO"},
      {"postgres_timeout", "SECONDS"}, {"node_name", "NAME"},
      {"trusted_proxies", "LIST"},     {"admin_token", "TOKEN"},
      {"request_timeout", "SECONDS"},  {"keepalive_timeout", "SECONDS"},
      {"max_age", "SECONDS"},          {"tcp_idle_timeout", "SECONDS"}};
  auto named = kNames.find(def.key);
  return named != kNames.end() ? named->second : TypeName(def.type);
}

const std::vector<SettingDef>& SettingDefs() { return kSettings; }

std::string FlagName(std::string_view key) {
  std::string flag = "--";
  for (char c : key) flag.push_back(c == '_' ? '-' : c);
  return flag;
}

Status ApplySetting(Settings& settings, std::string_view key, std::string_view value) {
  for (const auto& def : kSettings) {
    if (key != def.key) continue;
    // No setting holds one, and in a URL, a path or a header a CR or LF
    // would start something else (a Location line, a unit directive).
    for (char c : value) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        return InvalidArgument("key '" + std::string(key) +
                               "' holds a control character (such as CR or a tab); write the "
                               "value on one line, without them");
      }
    }
    return def.set(settings, value, def);
  }
  return InvalidArgument("unknown key '" + std::string(key) +
                         "' (see pasted.conf(5) for the keys)");
}

Status ApplyConfigText(Settings& settings, std::string_view text, const std::string& file_name) {
  return ParseConfigLines(text, file_name, [&](std::string_view key, std::string_view value) {
    return ApplySetting(settings, key, value);
  });
}

Status ValidateSettings(const Settings& s) {
  if (s.max_expiry_minutes > 0 && s.default_expiry_minutes > s.max_expiry_minutes) {
    return InvalidArgument("default_expiry (" + FormatDuration(s.default_expiry_minutes) +
                           ") is longer than max_expiry (" + FormatDuration(s.max_expiry_minutes) +
                           "); shorten it or raise max_expiry");
  }
  if (s.tls_cert.empty() != s.tls_key.empty()) {
    return InvalidArgument("tls_cert and tls_key go together; set both or neither");
  }
  if (s.max_upload_memory < s.max_paste_bytes + (64 << 10)) {
    return InvalidArgument("max_upload_memory (" + std::to_string(s.max_upload_memory) +
                           " bytes) cannot hold one paste of max_paste_bytes (" +
                           std::to_string(s.max_paste_bytes) +
                           " bytes) and its request; raise it to at least " +
                           std::to_string(s.max_paste_bytes + (64 << 10)));
  }
  if (s.store == "postgres" && s.postgres_url.empty()) {
    return InvalidArgument(
        "store postgres needs postgres_url (a libpq connection string, "
        "e.g. host=db1,db2 dbname=pastebin target_session_attrs=read-write)");
  }
  if (!s.admin_token.empty() && !s.admin_token_file.empty()) {
    return InvalidArgument("admin_token and admin_token_file are both set; keep one");
  }
  return Status::Ok();
}

Settings DefaultSettings() {
  Settings s;
  for (const auto& def : kSettings) {
    Status st = def.set(s, def.default_value, def);
    (void)st;  // the table's defaults are valid; settings_test checks it
  }
  s.data_dir = DefaultDataDir();
  return s;
}

StoreOptions StoreOptionsOf(const Settings& s) {
  StoreOptions options;
  options.kind = s.store;
  options.data_dir = s.data_dir;
  options.wal_limit = s.wal_limit;
  options.postgres_url = s.postgres_url;
  options.postgres_read_url = s.postgres_read_url;
  options.postgres_timeout = static_cast<int>(s.postgres_timeout);
  options.node = s.node_name;
  return options;
}

}  // namespace pastebin
