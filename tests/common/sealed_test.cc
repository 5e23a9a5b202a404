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
