#include "daemon/http/http_grammar.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "daemon/http/http_message.h"

namespace pastebin {
namespace {

// reg-name characters: unreserved, sub-delims and percent-encodings.
bool IsRegNameChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return c != '\0' && strchr("-._~!$&'()*+,;=%", c) != nullptr;
}

}  // namespace

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

bool IsFieldValueByte(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

bool IsWhitespace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && IsWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 9112 would allow whitespace around ";" and "=", RFC 7230 did not;
// none at all is taken, so that no proxy in front can read the line
// differently.
bool IsChunkExtensions(std::string_view s) {
  size_t i = 0;
  auto token = [&] {
    size_t start = i;
    while (i < s.size() && IsTokenChar(s[i])) ++i;
    return i > start;
  };
  while (i < s.size()) {
    if (s[i++] != ';' || !token()) return false;
    if (i == s.size() || s[i] != '=') continue;
    ++i;
    if (i < s.size() && s[i] == '"') {
      for (++i;; ++i) {
        if (i == s.size()) return false;
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '"') break;
        if (c == '\\') {
          if (++i == s.size() || !IsFieldValueByte(static_cast<unsigned char>(s[i]))) return false;
        } else if (!IsFieldValueByte(c)) {
          return false;
        }
      }
      ++i;
    } else if (!token()) {
      return false;
    }
  }
  return true;
}

bool IsValidAuthority(std::string_view a, bool allow_empty) {
  if (a.empty()) return allow_empty;
  std::string_view port;
  if (a.front() == '[') {
    size_t close = a.find(']');
    if (close == std::string_view::npos || close > 64) return false;
    std::string v6(a.substr(1, close - 1));
    unsigned char buf[16];
    if (inet_pton(AF_INET6, v6.c_str(), buf) != 1) return false;
    std::string_view rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
  } else {
    size_t colon = a.find(':');
    std::string_view host = a.substr(0, colon);
    if (host.empty() || !std::all_of(host.begin(), host.end(), IsRegNameChar)) return false;
    for (size_t i = 0; i < host.size(); ++i) {
      if (host[i] == '%' &&
          (i + 2 >= host.size() || HexValue(host[i + 1]) < 0 || HexValue(host[i + 2]) < 0)) {
        return false;
      }
    }
    if (colon != std::string_view::npos) port = a.substr(colon + 1);
  }
  return port.size() <= 5 && port.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace pastebin
