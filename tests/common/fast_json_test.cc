#include "common/fast_json.h"

#include <catch2/catch.hpp>

#include "common/wire.h"

namespace pastebin {
namespace {

// The two parsers agree: same request, or the same error.
void Agree(const std::string& body) {
  INFO(body);
  auto fast = ParseCreatePasteRequest(body);
  auto slow = ParseCreatePasteRequestSlowly(body);
  REQUIRE(fast.ok() == slow.ok());
  if (!fast.ok()) {
    CHECK(fast.status().message() == slow.status().message());
    return;
  }
  CHECK(fast->paste_contents == slow->paste_contents);
  CHECK(fast->expiration_length_in_minutes == slow->expiration_length_in_minutes);
}

TEST_CASE("the fast path reads the usual create requests") {
  auto r = ScanCreatePaste(R"({"paste_contents": "a\"b\\c\/d\n\tü€😀 \u00fc\u20ac\ud83d\ude00"})");
  REQUIRE(r);
  CHECK(r->paste_contents == "a\"b\\c/d\n\tü€😀 ü€😀");
  CHECK(r->minutes_kind == FastCreatePaste::Minutes::kAbsent);
  auto m =
      ScanCreatePaste(" {\n\"expiration_length_in_minutes\" : 60 ,\"paste_contents\":\"x\"}\r\n");
  REQUIRE(m);
  CHECK(m->minutes_kind == FastCreatePaste::Minutes::kNumber);
  CHECK(m->minutes_number == 60);
  auto s = ScanCreatePaste(R"({"paste_contents":"x","expiration_length_in_minutes":"15"})");
  REQUIRE(s);
  CHECK(s->minutes_kind == FastCreatePaste::Minutes::kString);
  CHECK(s->minutes_string == "15");
  auto n = ScanCreatePaste(R"({"paste_contents":"","expiration_length_in_minutes":null})");
  REQUIRE(n);
  CHECK(n->minutes_kind == FastCreatePaste::Minutes::kNull);
}

TEST_CASE("the fast path declines what it does not know, leaving it to nlohmann") {
  for (const char* body : {
           R"({})",
           R"([])",
           R"({"paste_contents":"x","title":"t"})",           // another key
           R"({"paste_contents":"x","paste_contents":"y"})",  // a repeat
           R"({"paste_contents":{"a":1}})",                   // nesting
           "\xEF\xBB\xBF{\"paste_contents\":\"x\"}",          // a BOM
           R"({"paste\u005fcontents":"x"})",                  // an escaped key
           R"({"paste_contents":"x","expiration_length_in_minutes":060})",
           R"({"paste_contents":"x","expiration_length_in_minutes":1.5})",
           R"({"paste_contents":"x","expiration_length_in_minutes":1e3})",
           R"({"paste_contents":"x","expiration_length_in_minutes":-1})",
           R"({"paste_contents":"x","expiration_length_in_minutes":1234567890123456789})",
           R"({"paste_contents":"x","expiration_length_in_minutes":"1\u0030"})",
           R"({"paste_contents":"x","expiration_length_in_minutes":true})",
           R"({"paste_contents":"\ud83d"})",        // a lone high surrogate
           R"({"paste_contents":"\ude00"})",        // a lone low surrogate
           R"({"paste_contents":"\ud83d\u0041"})",  // a high one without its pair
           R"({"paste_contents":"\x"})",            // no such escape
           R"({"paste_contents":"\u12g4"})",
           "{\"paste_contents\":\"tab\tinside\"}",  // a raw control character
           "{\"paste_contents\":\"\xff\"}",         // not UTF-8
           "{\"paste_contents\":\"\xc0\xaf\"}",     // overlong
           R"({"paste_contents":"x"} trailing)",
           R"({"paste_contents":"x",})",
           R"({"paste_contents":"x")",
           R"({"paste_contents":"x)",
           R"({"paste_contents" "x"})",
           R"({"expiration_length_in_minutes":5})",  // no contents
       }) {
    INFO(body);
    CHECK_FALSE(ScanCreatePaste(body));
    Agree(body);
  }
}

TEST_CASE("fast and slow parsing give the same answers and errors") {
  for (const char* body : {
           R"({"paste_contents":"hi\n"})",
           R"({"paste_contents":"hi","expiration_length_in_minutes":0})",
           R"({"paste_contents":"hi","expiration_length_in_minutes":"60"})",
           R"({"paste_contents":"hi","expiration_length_in_minutes":""})",
           R"({"paste_contents":"hi","expiration_length_in_minutes":"6x"})",
           R"({"paste_contents":"hi","expiration_length_in_minutes":"99999999999999"})",
           R"({"paste_contents":"hi","expiration_length_in_minutes":999999999999999999})",
           R"({"paste_contents":"hi","expiration_length_in_minutes":52560000})",
           R"({"paste_contents":"hi","expiration_length_in_minutes":52560001})",
           R"({"paste_contents":"\u0000"})",
           R"({"paste_contents":""})",
       }) {
    Agree(body);
  }
}

}  // namespace
}  // namespace pastebin
