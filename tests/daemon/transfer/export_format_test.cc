// The export format's lines, the haste log's keys and wastebin's ids, each
// against what the other side writes.
#include "daemon/transfer/export_format.h"

#include <catch2/catch.hpp>

#include "daemon/transfer/peer_sources.h"

namespace pastebin {
namespace {

const std::string kHash(64, 'a');

std::string PasteLine(const std::string& fields) {
  return "{\"type\":\"paste\",\"link\":\"Ab3dE9x\",\"created_at\":10,\"expiration_minutes\":0,"
         "\"expires_at\":null,\"delete_token_sha256\":\"" +
         kHash + "\"" + fields + "}";
}

TEST_CASE("export lines format and parse back to what they were") {
  PasteRecord r;
  r.shortlink = "aB-d+fGh1-+";
  r.created_at = 1764900000;
  r.expiration_length_in_minutes = 60;
  r.expires_at = 1764903600;
  r.delete_token_hash = kHash;
  r.burn_after_reading = true;
  r.language = "py";
  for (std::string body : {std::string("print('ü')\n"), std::string("\xff\x00\x01", 3)}) {
    std::string line = FormatPaste(r, body);
    REQUIRE(line.back() == '\n');
    CHECK(line.find(body[0] == '\xff' ? "\"body_base64url\":" : "\"body\":") != std::string::npos);
    auto parsed = ParseExportLine(line.substr(0, line.size() - 1));
    REQUIRE(parsed.ok());
    auto& p = std::get<ExportPaste>(*parsed);
    CHECK(p.body == body);
    CHECK(p.record.shortlink == r.shortlink);
    CHECK(p.record.expires_at == r.expires_at);
    CHECK(p.record.burn_after_reading);
    CHECK(p.record.language == "py");
  }
  CHECK(FormatHeader() == "{\"type\":\"pastebin-export\",\"version\":1}\n");
  CHECK(FormatVisits({"2026-11", "Ab3dE9x", 5}) ==
        "{\"type\":\"visits\",\"link\":\"Ab3dE9x\",\"month\":\"2026-11\",\"visits\":5}\n");
  CHECK(FormatEnd({2, 44, 1}) ==
        "{\"type\":\"end\",\"pastes\":2,\"bytes\":44,\"visit_counts\":1}\n");
}

TEST_CASE("a bad export line is refused naming its field and what it should be") {
  const std::pair<std::string, std::string> kBad[] = {
      {"[1]", "not a JSON object"},
      {"{\"type\":\"nope\"}", "field 'type' 'nope' is not paste, visits, end or pastebin-export"},
      {"{\"type\":\"pastebin-export\",\"version\":2}", "format version 2 is not one this pasted"},
      {PasteLine(",\"body\":\"x\"").replace(24, 7, "Ab/dE9x"), "field 'link' must be 6 to 16"},
      {PasteLine(",\"body\":\"x\"").replace(24, 7, "healthz"), "names one of pasted's pages"},
      {PasteLine(""), "exactly one of 'body', 'body_base64url' and 'url'"},
      {PasteLine(",\"body\":\"x\",\"url\":\"https://e.com/\""), "exactly one of"},
      {PasteLine(",\"body\":\"\""), "field 'body' is empty"},
      {PasteLine(",\"url\":\"ftp://e.com/\""), "field 'url'"},
      {PasteLine(",\"body\":\"x\",\"language\":\"Py!\""), "field 'language' must be"},
      {PasteLine(",\"body\":\"x\",\"burn\":1"), "field 'burn' must be true or false"},
      {PasteLine(",\"body_base64url\":\"***\""), "field 'body_base64url' is not base64url"},
      {"{\"type\":\"visits\",\"link\":\"Ab3dE9x\",\"month\":\"2026-13\",\"visits\":1}",
       "field 'month' must be YYYY-MM"},
      {"{\"type\":\"visits\",\"link\":\"Ab3dE9x\",\"month\":\"2026-12\",\"visits\":-1}",
       "field 'visits' must be a whole number, 0 or more"},
      {"{\"type\":\"end\",\"pastes\":1,\"bytes\":2}", "field 'visit_counts'"},
  };
  for (const auto& [line, message] : kBad) {
    INFO(line);
    auto parsed = ParseExportLine(line);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.status().message(), Catch::Contains(message));
  }
  std::string token = PasteLine(",\"body\":\"x\"");
  token.replace(token.find(kHash), 64, "ABC");
  CHECK_THAT(ParseExportLine(token).status().message(),
             Catch::Contains("field 'delete_token_sha256' must be 64 lowercase hex digits"));
}

TEST_CASE("wastebin ids are spelled as wastebin spells them") {
  // wastebin's own test vectors (crates/wastebin_core/src/id.rs).
  CHECK(WastebinLink(0) == "aaaaaa");
  CHECK(WastebinLink(0xffffffff) == "+++++d");
  CHECK(WastebinLink(104651828) == "bJZCna");
  CHECK(WastebinLink(0xfffffffffffffff) == "d+++++++++p");
  CHECK(WastebinLink(1367045688504311829) == "eVI4Z48hybf");
}

TEST_CASE("haste keys come from its log in any of its forms or from a list") {
  std::string log =
      "\x1b[36mverbose\x1b[39m: added document key=ubiqoxavel\n"
      "info: retrieved document key=ubiqoxavel\n"
      "{\"key\":\"kofumesaqo\",\"level\":\"verbose\",\"message\":\"added document\"}\n"
      "warn: document not found key=missingkey1\n"
      "AbCdEfGh12\n"
      "  spaced1234  \n"
      "not a key line, with words\n"
      "\n";
  CHECK(HasteKeys(log) == std::vector<std::string>{"ubiqoxavel", "kofumesaqo", "missingkey1",
                                                   "AbCdEfGh12", "spaced1234"});
}

}  // namespace
}  // namespace pastebin
