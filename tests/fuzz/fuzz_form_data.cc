// libFuzzer target: form bodies (url-encoded and multipart) and the
// Content-Type parameters they are read with. Invariants: no crash, no
// undefined behaviour, and a multipart body's fields never hold more bytes
// than the body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "daemon/http/form_data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // The first line is the Content-Type, the rest the body.
  size_t nl = in.find('\n');
  std::string_view type = in.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  pastebin::IsMediaType(type, "application/x-www-form-urlencoded");
  for (const auto& f :
       pastebin::ParseUrlEncoded(body).value_or(std::vector<pastebin::FormField>())) {
    if (f.name.size() + f.value.size() > body.size()) abort();
  }
  if (auto boundary = pastebin::MultipartBoundary(type)) {
    if (auto parts = pastebin::ParseMultipart(body, *boundary)) {
      size_t total = 0;
      for (const auto& f : *parts) total += f.value.size();
      if (total > body.size()) abort();
    }
  }
  return 0;
}
