#include "cli/token_store.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

TEST_CASE("saved delete tokens are found by shortlink, newest first") {
  testing::TempDir dir;
  TokenStore store(dir / "state/pastebin/tokens");
  REQUIRE(store.Save("Ab3dE9x", "tok1", "http://h/Ab3dE9x").ok());
  REQUIRE(store.Save("Zz9yY8x", "tok2", "http://h/Zz9yY8x").ok());
  REQUIRE(store.Save("Ab3dE9x", "tok3", "http://other/Ab3dE9x").ok());
  CHECK(store.Find("Ab3dE9x") == "tok3");
  CHECK(store.Find("Zz9yY8x") == "tok2");
  CHECK_FALSE(store.Find("Nope000").has_value());
}

TEST_CASE("the token file and its folder are private") {
  testing::TempDir dir;
  TokenStore store(dir / "state/pastebin/tokens");
  REQUIRE(store.Save("Ab3dE9x", "tok", "http://h/Ab3dE9x").ok());
  struct stat st;
  REQUIRE(stat(store.path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(stat((dir / "state/pastebin").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}

}  // namespace
}  // namespace pastebin
