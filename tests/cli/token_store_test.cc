#include "cli/token_store.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

TEST_CASE("saved delete tokens are found by shortlink, newest first") {
  testing::TempDir dir;
  TokenStore store(dir / "state/pastebin/tokens");
  REQUIRE(store.Save("Ab3dE9x", "a1", "http://h/Ab3dE9x").ok());
  REQUIRE(store.Save("Zz9yY8x", "b2", "http://h/Zz9yY8x").ok());
  REQUIRE(store.Save("Ab3dE9x", "c3", "http://other/Ab3dE9x").ok());
  CHECK(store.Find("Ab3dE9x") == "c3");
  CHECK(store.Find("Zz9yY8x") == "b2");
  CHECK_FALSE(store.Find("Nope000").has_value());
}

TEST_CASE("the token file and its folder are private") {
  testing::TempDir dir;
  TokenStore store(dir / "state/pastebin/tokens");
  REQUIRE(store.Save("Ab3dE9x", "d4", "http://h/Ab3dE9x").ok());
  struct stat st;
  REQUIRE(stat(store.path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(stat((dir / "state/pastebin").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("nothing that could add a line or a field reaches the token file") {
  // Regression: a server put lines of its own into the token file through
  // the shortlink, token and URL it answered with.
  testing::TempDir dir;
  TokenStore store(dir / "tokens");
  REQUIRE(store.Save("Ab3dE9x", "ab12", "http://h/Ab3dE9x").ok());
  CHECK_FALSE(store.Save("Ab3dE9x\nEvil123", "ab12", "http://h/x").ok());
  CHECK_FALSE(store.Save("Ab3dE9x", "ab12\tEvil123\tab", "http://h/x").ok());
  CHECK_FALSE(store.Save("Ab3dE9x", "ab12", "http://h/x\nEvil123\tab\thttp://e").ok());
  CHECK_FALSE(store.Save("Ab3dE9x", "ab12", "javascript:alert(1)").ok());
  CHECK(testing::ReadFile(dir / "tokens") == "Ab3dE9x\tab12\thttp://h/Ab3dE9x\n");
}

}  // namespace
}  // namespace pastebin
