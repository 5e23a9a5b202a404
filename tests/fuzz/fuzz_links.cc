// libFuzzer target: the parsers for what users type: links and URLs,
// durations, server URLs. Invariants: a parsed link is valid; a parsed
// duration survives formatting; a parsed URL's base parses to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/duration.h"
#include "common/shortlink.h"
#include "common/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto ref = pastebin::ParsePasteRef(text);
  if (ref.ok() && !pastebin::IsValidShortlink(ref->shortlink)) abort();
  auto minutes = pastebin::ParseDuration(text);
  if (minutes.ok()) {
    auto again = pastebin::ParseDuration(pastebin::FormatDuration(*minutes));
    if (!again.ok() || *again != *minutes) abort();
  }
  auto url = pastebin::ParseServerUrl(text);
  if (url.ok()) {
    auto again = pastebin::ParseServerUrl(url->Base());
    if (!again.ok() || again->Base() != url->Base()) abort();
  }
  return 0;
}
