#include "cli/token_store.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

// A paste saved without its kind, as older token files held them.
SavedPaste Saved(std::string link, std::string token, std::string url, std::string created_at = "",
                 std::string expires_at = "") {
  SavedPaste p;
  p.shortlink = std::move(link);
  p.token = std::move(token);
  p.url = std::move(url);
  p.created_at = std::move(created_at);
  p.expires_at = std::move(expires_at);
  return p;
}

TEST_CASE("saved delete tokens are found by shortlink, newest first") {
  testing::TempDir dir;
  TokenStore store(dir / "state/pastebin/tokens");
  REQUIRE(store.Save(Saved("Ab3dE9x", "a1", "http://h/Ab3dE9x")).ok());
  REQUIRE(store.Save(Saved("Zz9yY8x", "b2", "http://h/Zz9yY8x")).ok());
  REQUIRE(store.Save(Saved("Ab3dE9x", "c3", "http://other/Ab3dE9x")).ok());
  CHECK(store.Find("Ab3dE9x") == "c3");
  CHECK(store.Find("Zz9yY8x") == "b2");
  CHECK_FALSE(store.Find("Nope000").has_value());
}

TEST_CASE("the token file and its folder are private") {
  testing::TempDir dir;
  TokenStore store(dir / "state/pastebin/tokens");
  REQUIRE(store.Save(Saved("Ab3dE9x", "d4", "http://h/Ab3dE9x")).ok());
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
  REQUIRE(store.Save(Saved("Ab3dE9x", "ab12", "http://h/Ab3dE9x")).ok());
  CHECK_FALSE(store.Save(Saved("Ab3dE9x\nEvil123", "ab12", "http://h/x")).ok());
  CHECK_FALSE(store.Save(Saved("Ab3dE9x", "ab12\tEvil123\tab", "http://h/x")).ok());
  CHECK_FALSE(store.Save(Saved("Ab3dE9x", "ab12", "http://h/x\nEvil123\tab\thttp://e")).ok());
  CHECK_FALSE(store.Save(Saved("Ab3dE9x", "ab12", "javascript:alert(1)")).ok());
  CHECK(testing::ReadFile(dir / "tokens") == "Ab3dE9x\tab12\thttp://h/Ab3dE9x\n");
}

TEST_CASE("saved pastes list with their times, old three-field lines too") {
  testing::TempDir dir;
  testing::WriteFile(dir / "tokens", "Old0001\tab\thttp://h/Old0001\nnot an entry\n");
  TokenStore store(dir / "tokens");
  REQUIRE(
      store.Save(Saved("Ab3dE9x", "c3", "http://h/Ab3dE9x", "2026-11-28T17:53:38Z", "never")).ok());
  REQUIRE(store
              .Save(Saved("Zz9yY8x", "d4", "http://h/Zz9yY8x", "2026-11-28T17:53:39Z",
                          "2026-11-28T18:53:39Z"))
              .ok());
  CHECK_FALSE(
      store.Save(Saved("Bad0001", "e5", "http://h/Bad0001", "2026-11-28 17:53:38", "never")).ok());
  CHECK_FALSE(store.Save(Saved("Bad0001", "e5", "http://h/Bad0001", "", "soon")).ok());
  auto all = store.List();
  REQUIRE(all.size() == 3);
  CHECK(all[0].shortlink == "Old0001");
  CHECK(all[0].created_at.empty());
  CHECK(all[1].expires_at == "never");
  CHECK(all[2].expires_at == "2026-11-28T18:53:39Z");
  CHECK(store.Find("Zz9yY8x") == "d4");
}

TEST_CASE("removing entries rewrites the file and keeps the rest") {
  testing::TempDir dir;
  TokenStore store(dir / "tokens");
  REQUIRE(store.Save(Saved("Ab3dE9x", "a1", "http://h/Ab3dE9x")).ok());
  REQUIRE(
      store.Save(Saved("Zz9yY8x", "b2", "http://h/Zz9yY8x", "2026-11-28T17:53:38Z", "never")).ok());
  auto dropped = store.Remove([](const SavedPaste& p) { return p.shortlink == "Ab3dE9x"; });
  REQUIRE(dropped.ok());
  CHECK(*dropped == 1);
  CHECK(testing::ReadFile(dir / "tokens") ==
        "Zz9yY8x\tb2\thttp://h/Zz9yY8x\t2026-11-28T17:53:38Z\tnever\n");
  struct stat st;
  REQUIRE(stat(store.path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(*store.Remove([](const SavedPaste&) { return false; }) == 0);
}

TEST_CASE("a rewrite never loses an entry saved at the same time") {
  testing::TempDir dir;
  TokenStore store(dir / "tokens");
  constexpr int kSaves = 200;
  bool saved = true;  // Catch's macros are for the test's own thread
  std::thread saver([&] {
    for (int i = 0; i < kSaves; ++i) {
      char link[8];
      snprintf(link, sizeof(link), "Keep%03d", i);
      saved = store.Save(Saved(link, "a1", std::string("http://h/") + link, "", "")).ok() && saved;
      saved = store.Save(Saved("Drop000", "b2", "http://h/Drop000")).ok() && saved;
    }
  });
  for (int i = 0; i < 100; ++i) {
    REQUIRE(store.Remove([](const SavedPaste& p) { return p.shortlink == "Drop000"; }).ok());
  }
  saver.join();
  CHECK(saved);
  REQUIRE(store.Remove([](const SavedPaste& p) { return p.shortlink == "Drop000"; }).ok());
  CHECK(store.List().size() == kSaves);
}

TEST_CASE("a paste's kind and file name are kept, one field each, beside older lines") {
  testing::TempDir dir;
  testing::WriteFile(dir / "tokens",
                     "Old0001\tab\thttp://h/Old0001\n"
                     "Old0002\tcd\thttp://h/Old0002\t2026-11-28T17:53:38Z\tnever\n");
  TokenStore store(dir / "tokens");
  SavedPaste sealed =
      Saved("Ab3dE9x", "c3", "http://h/Ab3dE9x#key", "2026-11-28T17:53:38Z", "never");
  sealed.kind_saved = true;
  sealed.burns = true;
  sealed.encrypted = true;
  sealed.name = "notes\tand\nmore.txt";  // a file may be named so
  REQUIRE(store.Save(sealed).ok());
  SavedPaste link = Saved("Zz9yY8x", "d4", "http://h/Zz9yY8x", "", "never");
  link.kind_saved = true;
  link.link = true;
  REQUIRE(store.Save(link).ok());
  auto all = store.List();
  REQUIRE(all.size() == 4);
  CHECK_FALSE(all[0].kind_saved);
  CHECK_FALSE(all[1].kind_saved);
  CHECK(all[1].expires_at == "never");
  CHECK(all[2].kind_saved);
  CHECK(all[2].burns);
  CHECK(all[2].encrypted);
  CHECK_FALSE(all[2].link);
  CHECK(all[2].name == "notes\\x09and\\x0amore.txt");
  CHECK(all[3].link);
  CHECK(all[3].name.empty());
  CHECK_FALSE(all[3].burns);
  CHECK(testing::ReadFile(dir / "tokens").find("\tburns,encrypted\tnotes\\x09and\\x0amore.txt\n") !=
        std::string::npos);
}

}  // namespace
}  // namespace pastebin
