// libFuzzer target: decoding a create request and checking its text.
// Invariants: the fast path and nlohmann/json alone give the same answer
// or the same error; a decoded expiry is within bounds; contents that pass
// the text check are valid UTF-8 that JSON encodes and decodes unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/duration.h"
#include "common/text.h"
#include "common/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  pastebin::CheckText(body, "request body");
  auto req = pastebin::ParseCreatePasteRequest(body);
  auto slow = pastebin::ParseCreatePasteRequestSlowly(body);
  if (req.ok() != slow.ok()) abort();
  if (!req.ok()) {
    if (req.status().message() != slow.status().message()) abort();
    return 0;
  }
  if (req->paste_contents != slow->paste_contents ||
      req->expiration_length_in_minutes != slow->expiration_length_in_minutes) {
    abort();
  }
  if (req->expiration_length_in_minutes &&
      (*req->expiration_length_in_minutes < 0 ||
       *req->expiration_length_in_minutes > pastebin::kMaxExpiryMinutes)) {
    abort();
  }
  if (pastebin::CheckText(req->paste_contents, "paste").ok()) {
    auto again = pastebin::ParseCreatePasteRequest(pastebin::ToJson(*req));
    if (!again.ok() || again->paste_contents != req->paste_contents) abort();
  }
  return 0;
}
