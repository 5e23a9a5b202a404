#include "common/url.h"

#include <cctype>

namespace pastebin {
namespace {

Status BadUrl(std::string_view text, const std::string& why) {
  return InvalidArgument("invalid server URL '" + std::string(text) + "': " + why +
                         "; expected http://HOST[:PORT] (e.g. "
                         "http://127.0.0.1:8077) or unix:/PATH/TO/SOCKET");
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

std::string ServerUrl::Origin() const {
  if (!unix_socket.empty() && !own_local) return "unix:" + unix_socket;
  bool v6 = host.find(':') != std::string::npos;
  std::string out = scheme + "://" + (v6 ? "[" + host + "]" : host);
  bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  if (!default_port) out += ":" + std::to_string(port);
  return out;
}

Result<ServerUrl> ParseServerUrl(std::string_view text) {
  ServerUrl url;
  std::string_view s = text;
  if (s.substr(0, 5) == "unix:") {
    std::string_view path = s.substr(5);
    if (path.empty() || path.front() != '/')
      return BadUrl(text, "a Unix socket's path is absolute");
    if (path.size() > 107) return BadUrl(text, "a Unix socket's path is at most 107 bytes");
    for (char c : path) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        return BadUrl(text, "control characters in the socket's path");
      }
    }
    url.scheme = "http";
    url.host = "localhost";
    url.port = 80;
    url.unix_socket = std::string(path);
    return url;
  }
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
  std::string_view path = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
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

Status CheckLinkTarget(std::string_view url) {
  std::string shown(url.substr(0, 80));
  if (url.size() > 80) shown += "...";
  auto bad = [&](const std::string& why) {
    return InvalidArgument("cannot shorten '" + shown + "': " + why);
  };
  if (url.empty()) return InvalidArgument("cannot shorten an empty URL");
  if (url.size() > kMaxLinkTargetLength) {
    return bad("URLs longer than " + std::to_string(kMaxLinkTargetLength) +
               " characters are not taken");
  }
  for (char c : url) {
    if (c <= 0x20 || c >= 0x7f) {
      return bad("it contains spaces, control or non-ASCII characters; percent-encode them");
    }
  }
  std::string lower;
  for (char c : url.substr(0, 8)) lower.push_back(static_cast<char>(tolower(c)));
  size_t rest;
  if (lower.compare(0, 7, "http://") == 0) {
    rest = 7;
  } else if (lower.compare(0, 8, "https://") == 0) {
    rest = 8;
  } else {
    return bad("only http:// and https:// URLs can be shortened");
  }
  std::string_view authority = url.substr(rest, url.find_first_of("/?#", rest) - rest);
  size_t at = authority.rfind('@');
  std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) return bad("its IPv6 host is malformed");
    host = host.substr(close + 1);
    if (!host.empty() && host.front() != ':') return bad("its host is malformed");
  } else {
    size_t colon = host.find(':');
    std::string_view name = host.substr(0, colon);
    if (name.empty()) return bad("it has no host");
    for (char c : name) {
      if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) {
        return bad("its host is malformed");
      }
    }
    host = colon == std::string_view::npos ? std::string_view() : host.substr(colon);
  }
  if (!host.empty()) {  // ":port"
    std::string_view port = host.substr(1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos) {
      return bad("its port is malformed");
    }
  }
  return Status::Ok();
}

}  // namespace pastebin
