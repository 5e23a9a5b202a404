#include "common/wire.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

namespace pastebin {
namespace {

// The answer to a create as nlohmann/json writes it: what ToJson wrote
// before it wrote the answer itself.
std::string CreatedByNlohmann(const PasteCreated& c) {
  nlohmann::json j = {{"shortlink", c.shortlink},
                      {"url", c.url},
                      {"created_at", c.created_at},
                      {"expires_at", c.expires_at ? nlohmann::json(*c.expires_at) : nullptr},
                      {"expiration_length_in_minutes", c.expiration_length_in_minutes},
                      {"delete_token", c.delete_token}};
  if (c.target) j["target"] = *c.target;
  return j.dump();
}

// An answer to a create, never expiring.
PasteCreated SampleCreated() {
  PasteCreated c;
  c.shortlink = "Ab3dE9x";
  c.url = "http://h/Ab3dE9x";
  c.created_at = "2026-11-28 10:00:00";
  c.delete_token = "0a1b2c";
  return c;
}

TEST_CASE("the answer to a create is written byte for byte as nlohmann/json writes it") {
  PasteCreated c = SampleCreated();
  CHECK(ToJson(c) == R"({"created_at":"2026-11-28 10:00:00","delete_token":"0a1b2c",)"
                     R"("expiration_length_in_minutes":0,"expires_at":null,)"
                     R"("shortlink":"Ab3dE9x","url":"http://h/Ab3dE9x"})");
  CHECK(ToJson(c) == CreatedByNlohmann(c));
  // Every field through strings of quotes, backslashes, every control
  // character, DEL, and two-, three- and four-byte characters.
  const std::vector<std::string> pieces = {
      "a", "\"", "\\", "/", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", " ", "9"};
  std::mt19937 rng(7);
  auto text = [&] {
    std::string s;
    int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      if (rng() % 4 == 0) {
        s.push_back(static_cast<char>(1 + rng() % 31));  // a control character
      } else {
        s += pieces[rng() % pieces.size()];
      }
    }
    return s;
  };
  for (int i = 0; i < 2000; ++i) {
    c.shortlink = text();
    c.url = text();
    c.created_at = text();
    c.delete_token = text();
    c.expires_at = rng() % 2 ? std::optional<std::string>(text()) : std::nullopt;
    c.target = rng() % 2 ? std::optional<std::string>(text()) : std::nullopt;
    c.expiration_length_in_minutes = static_cast<int64_t>(rng()) - (1ll << 31);
    REQUIRE(ToJson(c) == CreatedByNlohmann(c));
  }
  // A value that is not text is nlohmann's to write (here, with NUL), or to
  // refuse (not UTF-8), as before.
  c.url = std::string("a\0b", 3);
  CHECK(ToJson(c) == CreatedByNlohmann(c));
  c.url = "\xff";
  CHECK_THROWS(ToJson(c));
}

TEST_CASE("create requests accept the expiration as number or digit string") {
  auto a =
      ParseCreatePasteRequest(R"({"paste_contents": "hi", "expiration_length_in_minutes": 60})");
  REQUIRE(a.ok());
  CHECK(a->paste_contents == "hi");
  CHECK(a->expiration_length_in_minutes == 60);

  auto b =
      ParseCreatePasteRequest(R"({"paste_contents": "hi", "expiration_length_in_minutes": "60"})");
  REQUIRE(b.ok());
  CHECK(b->expiration_length_in_minutes == 60);

  auto never = ParseCreatePasteRequest(R"({"paste_contents": "x"})");
  REQUIRE(never.ok());
  CHECK_FALSE(never->expiration_length_in_minutes.has_value());

  auto null =
      ParseCreatePasteRequest(R"({"paste_contents": "x", "expiration_length_in_minutes": null})");
  REQUIRE(null.ok());
  CHECK_FALSE(null->expiration_length_in_minutes.has_value());

  auto extra = ParseCreatePasteRequest(R"({"paste_contents": "x", "future_field": [1, 2]})");
  CHECK(extra.ok());
}

TEST_CASE("create requests decode JSON escapes exactly") {
  auto r = ParseCreatePasteRequest(R"({"paste_contents": "a\r\nb\t\"c\" \u00e9 \ud83d\ude00"})");
  REQUIRE(r.ok());
  CHECK(r->paste_contents == "a\r\nb\t\"c\" é 😀");
}

TEST_CASE("bad create requests are refused with the field named") {
  struct Case {
    const char* body;
    const char* message;
  };
  const char* kMinutes =
      "field 'expiration_length_in_minutes' must be a whole, non-negative "
      "number of minutes (a number or a string of digits; 0 means never)";
  const Case kCases[] = {
      {"",
       "request body is not valid JSON (or not UTF-8); send an object like "
       "{\"paste_contents\": \"text\"}"},
      {"{\"paste_contents\": \"x\"",
       "request body is not valid JSON (or not "
       "UTF-8); send an object like {\"paste_contents\": \"text\"}"},
      {"[1]", "request body must be a JSON object"},
      {"\"text\"", "request body must be a JSON object"},
      {"{}", "field 'paste_contents' is missing"},
      {R"({"paste_contents": 5})", "field 'paste_contents' must be a string"},
      {R"({"paste_contents": null})", "field 'paste_contents' must be a string"},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": -5})",
       "field 'expiration_length_in_minutes' must not be negative"},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": 1.5})", kMinutes},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": "1.5"})", kMinutes},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": "-5"})", kMinutes},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": "abc"})", kMinutes},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": ""})", kMinutes},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": true})", kMinutes},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": [60]})", kMinutes},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": 1e300})", kMinutes},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": 52596001})",
       "field 'expiration_length_in_minutes' is more than 100 years"},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": 18446744073709551615})",
       "field 'expiration_length_in_minutes' is more than 100 years"},
      {R"({"paste_contents": "x", "expiration_length_in_minutes": "99999999999999999999999"})",
       "field 'expiration_length_in_minutes' is more than 100 years"},
  };
  for (const auto& c : kCases) {
    INFO(c.body);
    auto r = ParseCreatePasteRequest(c.body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message() == c.message);
  }
}

TEST_CASE("invalid UTF-8 inside JSON is refused by the parser") {
  auto r = ParseCreatePasteRequest("{\"paste_contents\": \"\xff\"}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
}

TEST_CASE("answers round-trip through JSON") {
  PasteCreated c = SampleCreated();
  c.expires_at = "2026-11-28 11:00:00";
  c.expiration_length_in_minutes = 60;
  auto back = ParsePasteCreated(ToJson(c));
  REQUIRE(back.ok());
  CHECK(back->shortlink == c.shortlink);
  CHECK(back->url == c.url);
  CHECK(back->expires_at == c.expires_at);
  CHECK(back->expiration_length_in_minutes == 60);
  CHECK(back->delete_token == "0a1b2c");
  CHECK_FALSE(back->target.has_value());
  c.target = "https://example.org/";
  CHECK(ParsePasteCreated(ToJson(c))->target == "https://example.org/");

  PasteView v{"Ab3dE9x", "body\n", "2026-11-28 10:00:00", std::nullopt, 0};
  CHECK(ToJson(v) == R"({"created_at":"2026-11-28 10:00:00","expiration_length_in_minutes":0,)"
                     R"("expires_at":null,"paste_contents":"body\n","shortlink":"Ab3dE9x"})");
  auto vb = ParsePasteView(ToJson(v));
  REQUIRE(vb.ok());
  CHECK(vb->paste_contents == "body\n");
  CHECK_FALSE(vb->expires_at.has_value());
}

TEST_CASE("a server's answer is refused when a field is not what it must be") {
  PasteCreated c;
  c.shortlink = "Ab3dE9x";
  c.url = "http://h/Ab3dE9x";
  c.delete_token = "0a1b2c";
  REQUIRE(ParsePasteCreated(ToJson(c)).ok());
  PasteCreated bad = c;
  bad.shortlink = "Ab3dE9x\n";
  CHECK(ParsePasteCreated(ToJson(bad)).status().message() ==
        "field 'shortlink' is not a shortlink");
  bad = c;
  bad.url = "http://h/\x1b[2J";
  CHECK(ParsePasteCreated(ToJson(bad)).status().message() == "field 'url' is not an http(s) URL");
  bad = c;
  bad.delete_token = "0a\tEvil";
  CHECK(ParsePasteCreated(ToJson(bad)).status().message() == "field 'delete_token' is not a token");
  bad = c;
  bad.target = "javascript:alert(1)";
  CHECK(ParsePasteCreated(ToJson(bad)).status().message() ==
        "field 'target' is not an http(s) URL");
  CHECK(ParseStatsMonth(R"({"month": "2026-13", "pastes": []})").status().message() ==
        "field 'month' is not a month");
}

TEST_CASE("error bodies carry code and message both ways") {
  Status s = NotFound("paste Ab3dE9x does not exist or has expired");
  CHECK(
      ErrorJson(s) ==
      R"({"error":{"code":"not_found","message":"paste Ab3dE9x does not exist or has expired"}})");
  Status back = ParseErrorJson(404, ErrorJson(s));
  CHECK(back.code() == Code::kNotFound);
  CHECK(back.message() == s.message());
}

TEST_CASE("error answers without a JSON body map by HTTP status") {
  Status s = ParseErrorJson(502, "<html>Bad Gateway</html>");
  CHECK(s.code() == Code::kInternal);
  CHECK(s.message() == "the server answered HTTP 502");
  CHECK(ParseErrorJson(413, "").code() == Code::kTooLarge);
  CHECK(ParseErrorJson(418, "").code() == Code::kInvalidArgument);
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

// Regression: a 24 MiB body of "{}," took pasted to 935 MiB: the whole
// DOM was built and unknown fields were kept.
TEST_CASE("a create request is held to its fields and a few values") {
  std::string junk = "[";
  for (int i = 0; i < 100; ++i) junk += "{},";
  junk += "{}]";
  auto many = ParseCreatePasteRequest(R"({"paste_contents": "x", "junk": )" + junk + "}");
  REQUIRE_FALSE(many.ok());
  CHECK(many.status().message() ==
        "request body holds more than 64 JSON values or nests deeper than 8; send only the "
        "request's own fields");
  auto deep = ParseCreatePasteRequest(R"({"paste_contents": "x", "a": [[[[[[[[[1]]]]]]]]]})");
  REQUIRE_FALSE(deep.ok());
  // Unknown fields are read past and do not count against the paste.
  auto odd = ParseCreatePasteRequest(
      R"({"title": "t", "paste_contents": "kept", "meta": {"a": [1, 2, 3]}, "language": "py"})");
  REQUIRE(odd.ok());
  CHECK(odd->paste_contents == "kept");
  CHECK(odd->language == "py");
  auto link = ParseCreateLinkRequest(R"({"url": "https://e.org", "x": [)" + junk + "]}");
  CHECK_FALSE(link.ok());
}

TEST_CASE("answers a server sends are bounded too") {
  std::string huge = R"({"months": [)";
  for (int i = 0; i < 2'000'001; ++i) huge += "1,";
  huge += "1]}";
  auto months = ParseStatsMonths(huge);
  REQUIRE_FALSE(months.ok());
  CHECK(months.status().message() ==
        "server answer holds more than 2000000 JSON values or nests deeper than 16; no pastebin "
        "server sends that");
}

}  // namespace
}  // namespace pastebin
