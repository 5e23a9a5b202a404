// The pieces of HTTP's grammar (RFC 9110, RFC 9112, RFC 3986) that the
// request parser checks: tokens, field values, lists, authorities and chunk
// extensions.
#ifndef PASTEBIN_DAEMON_HTTP_HTTP_GRAMMAR_H_
#define PASTEBIN_DAEMON_HTTP_HTTP_GRAMMAR_H_

#include <string_view>

namespace pastebin {

// tchar, and a non-empty run of them (a method, a field name, a coding).
bool IsTokenChar(char c);
bool IsToken(std::string_view s);

// field-value bytes: VCHAR, obs-text, SP and HTAB; never CR, LF, NUL or
// another control byte.
bool IsFieldValueByte(unsigned char c);

// SP or HTAB, and s without them at either end (OWS).
bool IsWhitespace(char c);
std::string_view TrimWhitespace(std::string_view s);

// Calls fn for each non-empty element of a comma-separated list.
template <typename Fn>
void ForEachListElement(std::string_view value, Fn fn) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view element = TrimWhitespace(value.substr(0, comma));
    if (!element.empty()) fn(element);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

// *( ";" name [ "=" ( token / quoted-string ) ] ), without whitespace: the
// extensions after a chunk size, which are ignored but must be well-formed.
bool IsChunkExtensions(std::string_view s);

// True for an authority ("host", "host:port", "[v6]:port") as RFC 3986
// spells one; empty is allowed only when allow_empty.
bool IsValidAuthority(std::string_view authority, bool allow_empty);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_HTTP_GRAMMAR_H_
