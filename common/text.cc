#include "common/text.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace pastebin {
namespace {

// Length of the valid UTF-8 sequence starting at p (1-4), or 0 if invalid.
size_t SequenceLength(const unsigned char* p, const unsigned char* end) {
  unsigned char c = p[0];
  size_t avail = static_cast<size_t>(end - p);
  auto cont = [&](size_t i) { return i < avail && (p[i] & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (c == 0xED && p[1] > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && p[1] > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

Status CheckText(std::string_view bytes, std::string_view what) {
  const auto* begin = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = begin + bytes.size();
  const auto* p = begin;
  while (p < end) {
    // ASCII fast path, eight bytes at a time.
    while (end - p >= 8) {
      uint64_t word;
      memcpy(&word, p, 8);
      // Any high bit set, or any zero byte, leaves the fast path.
      bool high = word & 0x8080808080808080ULL;
      bool zero = (word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL;
      if (high || zero) break;
      p += 8;
    }
    if (p >= end) break;
    if (*p == 0) {
      return Status(Code::kNotText, std::string(what) + " contains a NUL byte at offset " +
                                        std::to_string(p - begin) +
                                        "; only text can be pasted (binary data is refused)");
    }
    size_t n = SequenceLength(p, end);
    if (n == 0) {
      char hex[8];
      snprintf(hex, sizeof(hex), "0x%02x", *p);
      return Status(Code::kNotText, std::string(what) + " is not valid UTF-8 (byte " + hex +
                                        " at offset " + std::to_string(p - begin) +
                                        "); only UTF-8 text can be pasted, convert it first "
                                        "(e.g. with iconv)");
    }
    p += n;
  }
  return Status::Ok();
}

std::string EscapeControls(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  std::string out;
  out.reserve(s.size());
  auto escape = [&](unsigned char c) {
    out += "\\x";
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  };
  while (p < end) {
    size_t n = SequenceLength(p, end);
    bool c1 = n == 2 && p[0] == 0xC2 && p[1] < 0xA0;  // U+0080..U+009F
    if (n == 0 || c1 || (n == 1 && (*p < 0x20 || *p == 0x7f))) {
      for (size_t i = 0; i < (n == 0 ? 1 : n); ++i) escape(p[i]);
      p += n == 0 ? 1 : n;
    } else if (*p == '\\') {
      out += "\\\\";
      ++p;
    } else {
      out.append(reinterpret_cast<const char*>(p), n);
      p += n;
    }
  }
  return out;
}

}  // namespace pastebin
