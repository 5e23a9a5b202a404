// libFuzzer target: pasted's config file and pastebin's. Invariant: a file
// that applies cleanly yields settings that validate or fail with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/client_config.h"
#include "daemon/settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  pastebin::Settings settings = pastebin::DefaultSettings();
  pastebin::Status s = pastebin::ApplyConfigText(settings, text, "fuzz.conf");
  if (!s.ok() && s.message().rfind("fuzz.conf:", 0) != 0) abort();
  if (s.ok()) pastebin::ValidateSettings(settings);
  auto client = pastebin::ParseClientConfig(text, "config");
  if (!client.ok() && client.status().message().rfind("config:", 0) != 0) abort();
  return 0;
}
