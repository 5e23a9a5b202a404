#include "daemon/http/form_data.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("url-encoded forms decode names and values") {
  auto parsed = ParseUrlEncoded("content=hello+world%0A%E2%9C%93&title=&flag&x=a%2Bb");
  REQUIRE(parsed);
  auto& f = *parsed;
  REQUIRE(f.size() == 4);
  CHECK(f[0].name == "content");
  CHECK(f[0].value == "hello world\n\xe2\x9c\x93");
  CHECK(f[1].name == "title");
  CHECK(f[1].value.empty());
  CHECK(f[2].name == "flag");
  CHECK(f[3].value == "a+b");
}

// Regression: 16 MiB of "=&" made a heap object per empty field: 1.57 GB.
TEST_CASE("forms have at most kMaxFormFields fields") {
  std::string many;
  for (size_t i = 0; i < kMaxFormFields; ++i) many += "=&";
  auto at_cap = ParseUrlEncoded(many + "&&&");  // empty pairs are no fields
  REQUIRE(at_cap);
  CHECK(at_cap->size() == kMaxFormFields);
  CHECK_FALSE(ParseUrlEncoded(many + "="));
  std::string parts;
  for (size_t i = 0; i <= kMaxFormFields; ++i) {
    parts += "--B\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n";
  }
  CHECK(ParseMultipart(parts + "--B--\r\n", "B", kMaxFormFields + 1));
  CHECK_FALSE(ParseMultipart(parts + "--B--\r\n", "B"));
}

TEST_CASE("multipart bodies give each part's name, file name and bytes") {
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\n"
      "line one\r\nline two\r\n--not the boundary\r\n"
      "\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"expire\"\r\n\r\n"
      "1d\r\n"
      "--XyZ--\r\n";
  auto parts = ParseMultipart(body, "XyZ");
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].name == "file");
  CHECK((*parts)[0].filename == "notes.txt");
  CHECK((*parts)[0].value == "line one\r\nline two\r\n--not the boundary\r\n");
  CHECK((*parts)[1].name == "expire");
  CHECK((*parts)[1].value == "1d");
}

TEST_CASE("multipart bodies framed with bare LF as shell scripts write them are read too") {
  // wgetpaste's 0x0 and ix.io engines: echo, so every line ends in LF.
  std::string body =
      "--WGETPASTE-f62efc\n"
      "Content-Disposition: form-data; name=\"f:1\"\n"
      "\n"
      "first line\r\nsecond line\n"
      "--WGETPASTE-f62efc--\n";
  auto parts = ParseMultipart(body, "WGETPASTE-f62efc");
  REQUIRE(parts);
  REQUIRE(parts->size() == 1);
  CHECK((*parts)[0].name == "f:1");
  CHECK((*parts)[0].value == "first line\r\nsecond line");
  // A part without headers is well formed, and no form field.
  auto bare = ParseMultipart("--B\n\nx\n--B--\n", "B");
  REQUIRE(bare);
  CHECK(bare->empty());
  CHECK_FALSE(ParseMultipart("--B\nContent-Disposition: form-data; name=a\n\nno end", "B"));
}

TEST_CASE("malformed multipart bodies are refused") {
  CHECK_FALSE(ParseMultipart("no boundary here", "XyZ"));
  CHECK_FALSE(
      ParseMultipart("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated", "XyZ"));
  CHECK_FALSE(ParseMultipart("--XyZ\r\nno blank line", "XyZ"));
  auto empty = ParseMultipart("--XyZ--\r\n", "XyZ");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("the multipart boundary comes from the content type") {
  CHECK(MultipartBoundary("multipart/form-data; boundary=------abc") == "------abc");
  CHECK(MultipartBoundary("Multipart/Form-Data; charset=x; boundary=\"q u\"") == "q u");
  CHECK_FALSE(MultipartBoundary("multipart/form-data"));
  CHECK_FALSE(MultipartBoundary("application/x-www-form-urlencoded; boundary=x"));
  CHECK(IsMediaType("application/x-www-form-urlencoded; charset=utf-8",
                    "application/x-www-form-urlencoded"));
  CHECK_FALSE(IsMediaType("text/plain", "application/json"));
}

}  // namespace
}  // namespace pastebin
