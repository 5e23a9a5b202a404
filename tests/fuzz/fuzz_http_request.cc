// libFuzzer target: the HTTP request parser, fed in pieces as a connection
// would deliver them. Invariants: it never crashes, never accepts a body over
// the limit, and a parsed request's path has no query.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "daemon/http_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t step = 1 + data[0] % 64;  // how the bytes are split into reads
  pastebin::HttpLimits limits;
  limits.max_body = 4096;
  pastebin::RequestParser parser(limits);
  std::string buffer;
  for (size_t at = 1; at < size; at += step) {
    buffer.append(reinterpret_cast<const char*>(data) + at, std::min(step, size - at));
    for (;;) {
      auto state = parser.Parse(&buffer);
      if (state == pastebin::RequestParser::State::kContinue) continue;
      if (state == pastebin::RequestParser::State::kError) {
        if (parser.error_status() < 400 || parser.error_status() > 505) abort();
        return 0;
      }
      if (state != pastebin::RequestParser::State::kDone) break;
      pastebin::HttpRequest r = parser.TakeRequest();
      if (r.body.size() > limits.max_body) abort();
      if (r.path.find('?') != std::string::npos && r.target.find("%3F") == std::string::npos &&
          r.target.find("%3f") == std::string::npos) {
        abort();
      }
      r.Param("shortlink");
      r.Header("Host");
      parser.Reset();
    }
  }
  return 0;
}
