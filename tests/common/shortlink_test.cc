#include "common/shortlink.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <set>
#include <vector>

namespace pastebin {
namespace {

// Hands out scripted bytes, then fails.
class ScriptedRandom : public Random {
 public:
  explicit ScriptedRandom(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  bool Fill(uint8_t* buf, size_t n) override {
    if (pos_ + n > bytes_.size()) return false;
    memcpy(buf, bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
};

TEST_CASE("valid shortlinks are 6 to 16 of letters and digits and - and +") {
  CHECK(IsValidShortlink("Ab3dE9x"));
  CHECK(IsValidShortlink("0000000"));
  CHECK(IsValidShortlink("Ab3dE9xy"));  // a server with link_length 8
  CHECK(IsValidShortlink("Ab3dE9xyAb3dE9xy"));
  CHECK(IsValidShortlink("Ab3dE9"));       // wastebin's old ids, imported
  CHECK(IsValidShortlink("aB-d+fGh1-+"));  // wastebin's ids, imported
  CHECK_FALSE(IsValidShortlink("Ab3dE"));
  CHECK_FALSE(IsValidShortlink("Ab3d_9x"));
  CHECK_FALSE(IsValidShortlink("Ab3dE9xyAb3dE9xyZ"));
  CHECK_FALSE(IsValidShortlink(""));
  CHECK_FALSE(IsValidShortlink("Ab3dE/x"));
  CHECK_FALSE(IsValidShortlink("..%2f.."));
  CHECK_FALSE(IsValidShortlink("Ab3d.9x"));
  CHECK_FALSE(IsValidShortlink("Ab3dé9"));
}

TEST_CASE("generated shortlinks are valid and distinct") {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto link = GenerateShortlink(SystemRandom());
    REQUIRE(link.ok());
    REQUIRE(IsValidShortlink(*link));
    seen.insert(*link);
  }
  CHECK(seen.size() == 2000);
  for (size_t length : {kShortlinkLength, size_t{10}, kMaxShortlinkLength}) {
    auto longer = GenerateShortlink(SystemRandom(), length);
    REQUIRE(longer.ok());
    CHECK(longer->size() == length);
    CHECK(IsValidShortlink(*longer));
  }
}

TEST_CASE("shortlink generation rejects bytes that would bias modulo 62") {
  // Bytes 248..255 must be skipped, not folded onto the first characters.
  std::vector<uint8_t> bytes = {248, 255, 0, 250, 61, 62, 123, 247, 1, 2, 3, 4, 5, 6, 7, 8};
  ScriptedRandom random(bytes);
  auto link = GenerateShortlink(random);
  REQUIRE(link.ok());
  // 0→A, 61→9, 62→A, 123→9 (123 % 62 = 61), 247→9 (247 % 62 = 61), 1→B, 2→C
  CHECK(*link == "A9A99BC");
}

TEST_CASE("route names are never generated as shortlinks") {
  CHECK(IsReservedShortlink("healthz"));
  CHECK(IsReservedShortlink("metrics"));
  CHECK(IsReservedShortlink("robots"));  // robots.txt
  CHECK(IsReservedShortlink("readyz"));
  CHECK_FALSE(IsReservedShortlink("Healthz"));
  // "healthz" spelled out in alphabet indexes in the first 16-byte draw,
  // "Ab3dE9x" in the second.
  std::vector<uint8_t> bytes(32, 0);
  const std::string kAlphabet = kShortlinkAlphabet;
  for (int i = 0; i < 7; ++i) {
    bytes[i] = static_cast<uint8_t>(kAlphabet.find("healthz"[i]));
    bytes[16 + i] = static_cast<uint8_t>(kAlphabet.find("Ab3dE9x"[i]));
  }
  ScriptedRandom random(bytes);
  auto link = GenerateShortlink(random);
  REQUIRE(link.ok());
  CHECK(*link == "Ab3dE9x");
}

TEST_CASE("shortlink generation reports a failed random source") {
  ScriptedRandom empty({});
  auto link = GenerateShortlink(empty);
  REQUIRE_FALSE(link.ok());
  CHECK(link.status().code() == Code::kUnavailable);
}

TEST_CASE("generated shortlinks use the alphabet evenly") {
  std::map<char, int> counts;
  const int kLinks = 20000;
  for (int i = 0; i < kLinks; ++i) {
    for (char c : *GenerateShortlink(SystemRandom())) counts[c]++;
  }
  REQUIRE(counts.size() == 62);
  // Expected 7 * 20000 / 62 ≈ 2258 per character; a modulo bias on 256
  // would give the first 8 characters 5 byte values instead of 4 (25% more).
  // Allow ±10% (about 4.7 standard deviations).
  for (const auto& [c, n] : counts) {
    CHECK(n > 2032);
    CHECK(n < 2484);
  }
}

TEST_CASE("paste references accept a bare link or a URL ending in one") {
  auto bare = ParsePasteRef("Ab3dE9x");
  REQUIRE(bare.ok());
  CHECK(bare->shortlink == "Ab3dE9x");
  CHECK(bare->base.empty());

  auto url = ParsePasteRef("http://127.0.0.1:8077/Ab3dE9x");
  REQUIRE(url.ok());
  CHECK(url->shortlink == "Ab3dE9x");
  CHECK(url->base == "http://127.0.0.1:8077");

  auto prefixed = ParsePasteRef("https://example.org/p/Ab3dE9x/?x=1#top");
  REQUIRE(prefixed.ok());
  CHECK(prefixed->shortlink == "Ab3dE9x");
  CHECK(prefixed->base == "https://example.org/p");

  // The pages' own routes name the paste on the server before them.
  for (const char* route : {"raw", "share", "dl", "created", "burn", "show", "documents"}) {
    INFO(route);
    auto page = ParsePasteRef(std::string("https://example.org/p/") + route + "/Ab3dE9x/");
    REQUIRE(page.ok());
    CHECK(page->shortlink == "Ab3dE9x");
    CHECK(page->base == "https://example.org/p");
  }
  auto created = ParsePasteRef("http://h:1/created/Ab3dE9x#token=0123abcd");
  REQUIRE(created.ok());
  CHECK(created->base == "http://h:1");
  CHECK(created->token == "0123abcd");
  CHECK(created->fragment.empty());
  // A server whose address is only such a word keeps it.
  CHECK(ParsePasteRef("http://raw/Ab3dE9x")->base == "http://raw");
}

TEST_CASE("paste references refuse anything else with a message") {
  for (const char* bad : {"", "abc", "Ab3dE9x1Ab3dE9x1Z", "../../etc", "http://host",
                          "http://host/", "http://host/abc", "Ab3d/E9x"}) {
    auto ref = ParsePasteRef(bad);
    INFO(bad);
    REQUIRE_FALSE(ref.ok());
    CHECK(ref.status().message() ==
          "'" + std::string(bad) +
              "' is not a paste link: expected 6 to 16 letters and digits (e.g. "
              "Ab3dE9x) or a URL ending in one");
  }
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

TEST_CASE("a link's fragment gives its key without the page's line anchors") {
  CHECK(KeyOfFragment("abcKEY") == "abcKEY");
  CHECK(KeyOfFragment("abcKEY&L3") == "abcKEY");
  CHECK(KeyOfFragment("L3") == "");
  CHECK(KeyOfFragment("L3-L7") == "");
  CHECK(KeyOfFragment("L3-7&abcKEY") == "abcKEY");
  CHECK(KeyOfFragment("Lx") == "Lx");            // not a line: a key that starts with L
  CHECK(KeyOfFragment("token=abc12&L3") == "");  // the created page's
  CHECK(TokenOfFragment("token=abc12&L3") == "abc12");
  CHECK(TokenOfFragment("KEY&L3") == "");
  CHECK(IsLineAnchor("L12"));
  CHECK_FALSE(IsLineAnchor("L"));
  CHECK_FALSE(IsLineAnchor("L3-"));
  auto ref = ParsePasteRef("http://h:1/Ab3dE9x#L3");
  REQUIRE(ref.ok());
  CHECK(ref->fragment.empty());
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

TEST_CASE("a link typed with spaces around it or without its scheme is read as meant") {
  auto spaced = ParsePasteRef("  http://h:1/Ab3dE9x \n");
  REQUIRE(spaced.ok());
  CHECK(spaced->shortlink == "Ab3dE9x");
  CHECK(spaced->base == "http://h:1");
  auto bare = ParsePasteRef("Ab3dE9x ");
  REQUIRE(bare.ok());
  CHECK(bare->base.empty());
  for (const char* typed : {"paste.example.org/Ab3dE9x", "127.0.0.1:8077/Ab3dE9x.py"}) {
    INFO(typed);
    auto ref = ParsePasteRef(typed);
    REQUIRE(ref.ok());
    CHECK(ref->shortlink == "Ab3dE9x");
    CHECK(ref->base.rfind("http://", 0) == 0);
  }
  CHECK(ParsePasteRef("127.0.0.1:8077/Ab3dE9x")->base == "http://127.0.0.1:8077");
  // Paths are not hosts.
  CHECK_FALSE(ParsePasteRef("../etc/passwd").ok());
  CHECK_FALSE(ParsePasteRef("./Ab3dE9x").ok());
}

}  // namespace
}  // namespace pastebin
