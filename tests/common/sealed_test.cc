#include "common/sealed.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("a sealed paste opens with its key and only with it") {
  std::string text = "line one\nline two é\n";
  auto sealed = Seal(text, "");
  REQUIRE(sealed.ok());
  CHECK(IsSealed(sealed->body));
  CHECK_FALSE(NeedsPassword(sealed->body));
  CHECK(sealed->body.find("line one") == std::string::npos);
  CHECK(sealed->key.size() == 43);
  CHECK(*Unseal(sealed->body, sealed->key, "") == text);
  // Two seals of the same text share nothing.
  auto again = Seal(text, "");
  CHECK(again->body != sealed->body);
  CHECK(again->key != sealed->key);
  CHECK(Unseal(sealed->body, again->key, "").status().code() == Code::kForbidden);
  // A changed byte of the ciphertext is found out (GCM's tag).
  std::string tampered = sealed->body;
  char& c = tampered[tampered.size() - 5];
  c = c == 'A' ? 'B' : 'A';
  CHECK(Unseal(tampered, sealed->key, "").status().code() == Code::kForbidden);
  CHECK(Unseal(sealed->body, "short", "").status().code() == Code::kInvalidArgument);
  CHECK(Unseal("plain text", sealed->key, "").status().code() == Code::kInvalidArgument);
}

TEST_CASE("a password-sealed paste needs the key and the password") {
  auto sealed = Seal("with a password", "hunter2");
  REQUIRE(sealed.ok());
  CHECK(NeedsPassword(sealed->body));
  CHECK(sealed->body.rfind(std::string(kSealedPrefix) + std::to_string(kPasswordIterations) + ":",
                           0) == 0);
  CHECK(*Unseal(sealed->body, sealed->key, "hunter2") == "with a password");
  CHECK(Unseal(sealed->body, sealed->key, "hunter3").status().code() == Code::kForbidden);
  CHECK(Unseal(sealed->body, sealed->key, "").status().code() == Code::kForbidden);
}

// Regression: a paste could name its own rounds (999,999,999 were
// computed: minutes of a reader's CPU before any password was tried).
TEST_CASE("a sealed paste may ask its reader for at most kMaxPasswordIterations rounds") {
  auto sealed = Seal("with a password", "hunter2");
  REQUIRE(sealed.ok());
  std::string rest = sealed->body.substr(sealed->body.find(':', sizeof(kSealedPrefix) - 1));
  auto with_rounds = [&](int64_t rounds) {
    return std::string(kSealedPrefix) + std::to_string(rounds) + rest;
  };
  CHECK(CheckRounds(sealed->body).ok());
  CHECK(CheckRounds(with_rounds(kMaxPasswordIterations)).ok());
  CHECK(CheckRounds("plain text").ok());
  Status many = CheckRounds(with_rounds(999999999));
  CHECK(many.code() == Code::kInvalidArgument);
  CHECK(many.message() ==
        "the paste asks for 999999999 password rounds (PBKDF2); pastebin opens at most 2000000, "
        "so that a link cannot hold its reader's CPU for minutes; it was not made by pastebin");
  CHECK(CheckRounds(with_rounds(kMaxPasswordIterations + 1)).code() == Code::kInvalidArgument);
  // Unseal refuses before computing any (this would take minutes otherwise).
  auto opened = Unseal(with_rounds(999999999), sealed->key, "hunter2");
  CHECK(opened.status().message() == many.message());
}

TEST_CASE("base64url round-trips every byte") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n : {0, 1, 2, 3, 4, 31, 32, 33, 256}) {
    std::string part = all.substr(0, n);
    std::string text = Base64UrlEncode(part);
    CHECK(text.find_first_of("+/=") == std::string::npos);
    CHECK(*Base64UrlDecode(text) == part);
  }
  CHECK_FALSE(Base64UrlDecode("a+b").ok());
}

}  // namespace
}  // namespace pastebin
