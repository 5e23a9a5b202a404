// A fast path for the one JSON document a busy server parses most: the
// create-paste request, {"paste_contents": "...", "expiration_length_in_
// minutes": N}. nlohmann/json builds a DOM and copies a string a byte at a
// time (about 9 ns a byte here); this reads the common shape straight into
// the paste. Anything else — other keys, repeats, nesting, odd numbers,
// malformed input — it declines, and the caller parses with nlohmann, so
// answers and errors stay exactly the same (tests/fuzz/fuzz_paste_request
// compares the two).
#ifndef PASTEBIN_COMMON_FAST_JSON_H_
#define PASTEBIN_COMMON_FAST_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pastebin {

struct FastCreatePaste {
  std::string paste_contents;
  // The expiry as sent: absent, null, a JSON integer (digits, no sign), or
  // a string without escapes.
  enum class Minutes { kAbsent, kNull, kNumber, kString } minutes_kind = Minutes::kAbsent;
  uint64_t minutes_number = 0;
  std::string minutes_string;
};

// The request if body is a JSON object of that shape, holding valid UTF-8;
// nullopt when the fast path declines (which says nothing about validity).
std::optional<FastCreatePaste> ScanCreatePaste(std::string_view body);

// Appends s to out as a JSON string, byte for byte as nlohmann/json's dump()
// writes it (UTF-8 kept as it is; ", \ and control characters escaped,
// those without a short form as \u00xx). False, with out as it was, when s
// is not text (not UTF-8, or holding NUL): the caller writes that document
// with nlohmann, so it behaves as before.
bool AppendJsonString(std::string* out, std::string_view s);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_FAST_JSON_H_
