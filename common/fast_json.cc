#include "common/fast_json.h"

#include <cstring>

#include "common/text.h"

namespace pastebin {
namespace {

// JSON's short escapes: the character, and the letter after the backslash.
// (A "\/" is read too, but never written.)
constexpr char kShortEscapes[][2] = {{'"', '"'},  {'\\', '\\'}, {'\b', 'b'}, {'\f', 'f'},
                                     {'\n', 'n'}, {'\r', 'r'},  {'\t', 't'}};

// The letter that escapes c, or '\0' if it has none.
char Escaped(char c) {
  for (const auto& e : kShortEscapes) {
    if (e[0] == c) return e[1];
  }
  return '\0';
}

// The character a backslash and letter stand for, or '\0' if none.
char Unescaped(char letter) {
  for (const auto& e : kShortEscapes) {
    if (e[1] == letter) return e[0];
  }
  return '\0';
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool Take(char c) {
    SkipSpace();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool AtEnd() {
    SkipSpace();
    return p_ == end_;
  }
  char Peek() {
    SkipSpace();
    return p_ == end_ ? '\0' : *p_;
  }

  // A string without escapes (a key, an expiry): its bytes.
  bool PlainString(std::string_view* out) {
    if (!Take('"')) return false;
    const char* start = p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\' || static_cast<unsigned char>(*p_) < 0x20) return false;
      ++p_;
    }
    if (p_ == end_) return false;
    *out = std::string_view(start, p_ - start);
    ++p_;
    return CheckText(*out, "").ok();
  }

  // A JSON string, unescaped, appended to out.
  bool String(std::string* out) {
    if (!Take('"')) return false;
    for (;;) {
      const char* start = p_;
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) {
        ++p_;
      }
      std::string_view run(start, p_ - start);
      if (!CheckText(run, "").ok()) return false;
      out->append(run);
      if (p_ == end_ || static_cast<unsigned char>(*p_) < 0x20) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      ++p_;  // the backslash
      if (p_ == end_) return false;
      char e = *p_++;
      if (e == 'u') {
        if (!Unicode(out)) return false;
      } else if (e == '/') {
        out->push_back('/');
      } else if (char c = Unescaped(e)) {
        out->push_back(c);
      } else {
        return false;
      }
    }
  }

  // Digits of a JSON integer that is not negative, fits 18 digits and has
  // no leading zero, fraction or exponent.
  bool Integer(uint64_t* out) {
    SkipSpace();
    const char* start = p_;
    uint64_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') v = v * 10 + (*p_++ - '0');
    size_t n = p_ - start;
    if (n == 0 || n > 18 || (n > 1 && *start == '0')) return false;
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    *out = v;
    return true;
  }

  bool Null() {
    SkipSpace();
    if (end_ - p_ < 4 || memcmp(p_, "null", 4) != 0) return false;
    p_ += 4;
    return true;
  }

 private:
  // Four hex digits after "\u".
  bool Hex4(uint32_t* out) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = *p_++;
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    *out = v;
    return true;
  }

  // The code point of a \u escape (a surrogate pair as one), as UTF-8.
  bool Unicode(std::string* out) {
    uint32_t cp = 0;
    if (!Hex4(&cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

std::optional<FastCreatePaste> ScanCreatePaste(std::string_view body) {
  Scanner s(body);
  FastCreatePaste out;
  bool have_contents = false;
  if (!s.Take('{')) return std::nullopt;
  if (s.Peek() == '}') return std::nullopt;  // {}: nlohmann words the error
  do {
    std::string_view key;
    if (!s.PlainString(&key) || !s.Take(':')) return std::nullopt;
    if (key == "paste_contents" && !have_contents) {
      out.paste_contents.reserve(body.size());
      if (!s.String(&out.paste_contents)) return std::nullopt;
      have_contents = true;
    } else if (key == "expiration_length_in_minutes" &&
               out.minutes_kind == FastCreatePaste::Minutes::kAbsent) {
      char c = s.Peek();
      if (c == '"') {
        std::string_view v;
        if (!s.PlainString(&v)) return std::nullopt;
        out.minutes_string = std::string(v);
        out.minutes_kind = FastCreatePaste::Minutes::kString;
      } else if (c == 'n') {
        if (!s.Null()) return std::nullopt;
        out.minutes_kind = FastCreatePaste::Minutes::kNull;
      } else {
        if (!s.Integer(&out.minutes_number)) return std::nullopt;
        out.minutes_kind = FastCreatePaste::Minutes::kNumber;
      }
    } else {
      return std::nullopt;  // another key, or one again
    }
  } while (s.Take(','));
  if (!s.Take('}') || !s.AtEnd() || !have_contents) return std::nullopt;
  return out;
}

bool AppendJsonString(std::string* out, std::string_view s) {
  if (!CheckText(s, "").ok()) return false;
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // bytes of s from here that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    out->push_back('\\');
    if (char e = Escaped(static_cast<char>(c))) {
      out->push_back(e);
    } else {
      out->append("u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
  return true;
}

}  // namespace pastebin
