#include "common/url.h"

namespace pastebin {
namespace {

Status BadUrl(std::string_view text, const std::string& why) {
  return InvalidArgument("invalid server URL '" + std::string(text) +
                         "': " + why +
                         "; expected http://HOST[:PORT] (e.g. "
                         "http://127.0.0.1:8077)");
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

}  // namespace

std::string ServerUrl::Origin() const {
  bool v6 = host.find(':') != std::string::npos;
  std::string out = scheme + "://" + (v6 ? "[" + host + "]" : host);
  bool default_port =
      (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  if (!default_port) out += ":" + std::to_string(port);
  return out;
}

Result<ServerUrl> ParseServerUrl(std::string_view text) {
  ServerUrl url;
  std::string_view s = text;
  size_t sep = s.find("://");
  if (sep == std::string_view::npos) return BadUrl(text, "no http:// scheme");
  url.scheme = std::string(s.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    return BadUrl(text, "scheme must be http or https");
  }
  s.remove_prefix(sep + 3);
  if (s.find_first_of("?#") != std::string_view::npos) {
    return BadUrl(text, "a query or fragment is not allowed");
  }
  size_t slash = s.find('/');
  std::string_view authority = s.substr(0, slash);
  std::string_view path =
      slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.prefix = std::string(path);
  if (authority.find('@') != std::string_view::npos) {
    return BadUrl(text, "user names in URLs are not supported");
  }

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return BadUrl(text, "unclosed '[' in IPv6 address");
    }
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return BadUrl(text, "junk after IPv6 address");
      port_text = rest.substr(1);
      if (port_text.empty()) return BadUrl(text, "empty port");
    }
    for (char c : url.host) {
      if (!(IsHostChar(c) || c == ':')) return BadUrl(text, "bad IPv6 host");
    }
  } else {
    size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return BadUrl(text, "empty port");
    }
    for (char c : url.host) {
      if (!IsHostChar(c)) return BadUrl(text, "bad character in host");
    }
  }
  if (url.host.empty()) return BadUrl(text, "no host");

  if (port_text.empty()) {
    url.port = url.scheme == "https" ? 443 : 80;
  } else {
    int port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) {
        return BadUrl(text, "port must be a number from 1 to 65535");
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) {
      return BadUrl(text, "port must be a number from 1 to 65535");
    }
    url.port = port;
  }
  return url;
}

}  // namespace pastebin
