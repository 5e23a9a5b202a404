#include "common/text.h"

#include <catch2/catch.hpp>
#include <string>

namespace pastebin {
namespace {

using namespace std::string_literals;  // NOLINT: "\0"s literals below

TEST_CASE("UTF-8 text without NUL is text") {
  for (const std::string& ok :
       {""s, "hello\n"s, "tab\tcrlf\r\n"s, "héllo wörld"s, "日本語のテキスト"s, "emoji 😀 and 𝄞"s,
        "\x7f"s, "\xef\xbf\xbd"s /* U+FFFD */, "\xf4\x8f\xbf\xbf"s /* U+10FFFF */,
        std::string(1000, 'a') + "é"}) {
    INFO(ok);
    CHECK(CheckText(ok, "paste").ok());
  }
}

TEST_CASE("a NUL byte is refused with its offset") {
  std::string s = "abcdefghij\0klm"s;
  Status st = CheckText(s, "paste");
  REQUIRE(st.code() == Code::kNotText);
  CHECK(st.message() ==
        "paste contains a NUL byte at offset 10; only text can be pasted "
        "(binary data is refused)");
}

TEST_CASE("invalid UTF-8 is refused with the byte and offset") {
  struct Case {
    std::string bytes;
    const char* where;
  };
  const Case kCases[] = {
      {"\xff", "byte 0xff at offset 0"},
      {"ab\x80", "byte 0x80 at offset 2"},            // lone continuation
      {"\xc0\xaf", "byte 0xc0 at offset 0"},          // overlong '/'
      {"\xe0\x80\xaf", "byte 0xe0 at offset 0"},      // overlong
      {"\xed\xa0\x80", "byte 0xed at offset 0"},      // surrogate U+D800
      {"\xf4\x90\x80\x80", "byte 0xf4 at offset 0"},  // above U+10FFFF
      {"\xf5\x80\x80\x80", "byte 0xf5 at offset 0"},
      {"12345678\xc3", "byte 0xc3 at offset 8"},  // truncated at the end
      {"\xe2\x82", "byte 0xe2 at offset 0"},
  };
  for (const auto& c : kCases) {
    INFO(c.where);
    Status st = CheckText(c.bytes, "file x.bin");
    REQUIRE(st.code() == Code::kNotText);
    CHECK(st.message() == std::string("file x.bin is not valid UTF-8 (") + c.where +
                              "); only UTF-8 text can be pasted, convert it "
                              "first (e.g. with iconv)");
  }
}

}  // namespace
}  // namespace pastebin
