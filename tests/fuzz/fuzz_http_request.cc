// libFuzzer target: the HTTP request parser, fed in pieces as a connection
// would deliver them. Invariants: it never crashes, never accepts a body over
// the limit, consumes only what it was given, and a parsed request's path
// has no query.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "daemon/http/http_parser.h"

using pastebin::RequestParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t step = 1 + data[0] % 64;  // how the bytes are split into reads
  pastebin::HttpLimits limits;
  limits.max_body = 4096;
  RequestParser parser(limits);
  std::string buffer;
  for (size_t at = 1; at < size; at += step) {
    buffer.append(reinterpret_cast<const char*>(data) + at, std::min(step, size - at));
    for (;;) {
      size_t used = 0;
      auto state = parser.Parse(buffer, &used);
      if (used > buffer.size()) abort();
      buffer.erase(0, used);
      if (state == RequestParser::State::kHead) {
        if (parser.content_length() && *parser.content_length() > limits.max_body) {
          parser.SetBodyLimit(limits.max_body);
        }
        continue;
      }
      if (state == RequestParser::State::kContinue) continue;
      if (state == RequestParser::State::kError) {
        if (parser.error_status() < 400 || parser.error_status() > 505) abort();
        return 0;
      }
      if (state != RequestParser::State::kDone) break;
      pastebin::HttpRequest r = parser.TakeRequest();
      if (r.body.size() > limits.max_body) abort();
      if (r.path.find('?') != std::string::npos && r.target.find("%3F") == std::string::npos &&
          r.target.find("%3f") == std::string::npos) {
        abort();
      }
      if (r.minor_version == 1 && !pastebin::IsValidAuthority(r.authority, true)) abort();
      r.Param("shortlink");
      r.HeaderList("X-Forwarded-For");
      parser.Reset();
    }
  }
  return 0;
}
