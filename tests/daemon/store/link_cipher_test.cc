#include "daemon/store/link_cipher.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/shortlink.h"

namespace pastebin {
namespace {

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Numerals of a string in radix 10 or 36 (0-9, then a-z), as NIST writes them.
std::vector<unsigned> Numerals(std::string_view s) {
  std::vector<unsigned> out;
  for (char c : s) out.push_back(c <= '9' ? c - '0' : c - 'a' + 10);
  return out;
}

std::string Text(const std::vector<unsigned>& x) {
  std::string out;
  for (unsigned d : x)
    out.push_back(d < 10 ? static_cast<char>('0' + d) : static_cast<char>('a' + d - 10));
  return out;
}

LinkCipher Cipher(std::string_view key) {
  auto c = LinkCipher::Make(key);
  REQUIRE(c.ok());
  return std::move(c).value();
}

TEST_CASE("link cipher: FF1 gives NIST's AES-128 samples, both ways") {
  // SP 800-38G's examples (FF1samples.pdf): samples 1 to 3.
  const LinkCipher c = Cipher(Unhex("2B7E151628AED2A6ABF7158809CF4F3C"));
  struct Sample {
    unsigned radix;
    std::string tweak_hex, plain, cipher;
  } const samples[] = {
      {10, "", "0123456789", "2433477484"},
      {10, "39383736353433323130", "0123456789", "6124200773"},
      {36, "3737373770717273373737", "0123456789abcdefghi", "a9tv40mll9kdu509eum"},
  };
  for (const Sample& s : samples) {
    CAPTURE(s.plain, s.tweak_hex);
    const std::string tweak = Unhex(s.tweak_hex);
    CHECK(Text(c.Encrypt(Numerals(s.plain), s.radix, tweak)) == s.cipher);
    CHECK(Text(c.Decrypt(Numerals(s.cipher), s.radix, tweak)) == s.plain);
  }
}

TEST_CASE("link cipher: a number's link is made of the alphabet and leads back to it") {
  const LinkCipher c = Cipher(Unhex("000102030405060708090a0b0c0d0e0f"));
  const std::string alphabet = kShortlinkAlphabet;
  for (size_t length = kShortlinkLength; length <= kMaxShortlinkLength; ++length) {
    uint64_t top = 1;
    for (size_t i = 0; i < length && top < (uint64_t{1} << 56); ++i) top *= 62;
    for (uint64_t n :
         {uint64_t{0}, uint64_t{1}, uint64_t{61}, uint64_t{62}, uint64_t{1234567}, top - 1}) {
      CAPTURE(length, n);
      const std::string link = c.LinkOf(n, length);
      REQUIRE(link.size() == length);
      CHECK(link.find_first_not_of(alphabet) == std::string::npos);
      CHECK(c.NumberOf(link) == n);
    }
  }
}

TEST_CASE("link cipher: consecutive numbers get unrelated links, and another key others") {
  const LinkCipher c = Cipher(Unhex("00112233445566778899aabbccddeeff"));
  const LinkCipher other = Cipher(Unhex("ffeeddccbbaa99887766554433221100"));
  std::set<std::string> links;
  size_t differing = 0, same_as_other_key = 0;
  std::string last;
  for (uint64_t n = 0; n < 2000; ++n) {
    const std::string link = c.LinkOf(n, kShortlinkLength);
    links.insert(link);
    if (!last.empty()) {
      for (size_t i = 0; i < link.size(); ++i) differing += link[i] != last[i];
    }
    same_as_other_key += link == other.LinkOf(n, kShortlinkLength);
    last = link;
  }
  CHECK(links.size() == 2000);  // a permutation: no two numbers share a link
  // Random links differ from the one before in 7 * 61/62 = 6.89 places.
  CHECK(static_cast<double>(differing) / 1999 > 6.5);
  CHECK(same_as_other_key == 0);
}

TEST_CASE("link cipher: links it could not have made have no number") {
  const LinkCipher c = Cipher(std::string(LinkCipher::kKeyBytes, 'k'));
  CHECK_FALSE(c.NumberOf("abcdef").has_value());             // 6: imported
  CHECK_FALSE(c.NumberOf("abc-def").has_value());            // not the alphabet
  CHECK_FALSE(c.NumberOf("abcdefghijklmnopq").has_value());  // 17
  CHECK(c.NumberOf("abcdefg").has_value());                  // any 7 of the alphabet
  CHECK(*c.NumberOf("abcdefg") < 3521614606208ULL);          // 62^7
  CHECK_FALSE(LinkCipher::Make("short").ok());
}

TEST_CASE("link cipher: new keys are random") {
  auto a = NewLinkKey(), b = NewLinkKey();
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->size() == LinkCipher::kKeyBytes);
  CHECK(*a != *b);
}

}  // namespace
}  // namespace pastebin
