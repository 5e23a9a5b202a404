#include "daemon/store/content_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

using testing::ListFiles;
using testing::TempDir;

mode_t ModeOf(const std::string& path) {
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("content dir stores bodies under server-chosen sharded names") {
  TempDir dir;
  auto store = ContentDir::Open(dir.path(), SystemRandom());
  REQUIRE(store.ok());
  auto key = (*store)->Put("hello\n");
  REQUIRE(key.ok());
  // content/H/HH/<32 hex>, the shard taken from the name.
  REQUIRE(key->size() == 8 + 2 + 3 + 32);
  CHECK(key->substr(0, 8) == "content/");
  CHECK(key->substr(8, 1) == key->substr(13, 1));
  CHECK(key->substr(10, 2) == key->substr(14, 2));
  auto back = (*store)->Read(*key);
  REQUIRE(back.ok());
  CHECK(*back == "hello\n");
  // Written in place, in its shard: no temp folder.
  CHECK(ListFiles(dir / "content") == std::vector<std::string>{key->substr(8)});
}

TEST_CASE("content files are private") {
  TempDir dir;
  auto store = ContentDir::Open(dir.path(), SystemRandom());
  REQUIRE(store.ok());
  auto key = (*store)->Put("secret");
  REQUIRE(key.ok());
  CHECK(ModeOf(dir / *key) == 0600);
  CHECK(ModeOf(dir / "content") == 0700);
  CHECK(ModeOf(dir / key->substr(0, 12)) == 0700);
}

TEST_CASE("removed bodies read as not found") {
  TempDir dir;
  auto store = ContentDir::Open(dir.path(), SystemRandom());
  REQUIRE(store.ok());
  auto key = (*store)->Put("x");
  REQUIRE(key.ok());
  REQUIRE((*store)->Remove(*key).ok());
  CHECK((*store)->Read(*key).status().code() == Code::kNotFound);
  CHECK((*store)->Remove(*key).ok());  // already gone is fine
}

TEST_CASE("content dir refuses keys it did not hand out") {
  TempDir dir;
  auto store = ContentDir::Open(dir.path(), SystemRandom());
  REQUIRE(store.ok());
  testing::WriteFile(dir / "secret", "do not serve");
  for (const char* key :
       {"secret", "../secret", "content/../secret", "content/a/bc/../../../secret",
        "content/b/bc/abc00000000000000000000000000000",
        "content/a/bC/abC00000000000000000000000000000", "/etc/passwd"}) {
    INFO(key);
    CHECK((*store)->Read(key).status().code() == Code::kInternal);
    CHECK((*store)->Remove(key).code() == Code::kInternal);
  }
  CHECK(testing::ReadFile(dir / "secret") == "do not serve");
}

TEST_CASE("large bodies round-trip byte for byte") {
  TempDir dir;
  auto store = ContentDir::Open(dir.path(), SystemRandom());
  REQUIRE(store.ok());
  std::string big;
  for (int i = 0; i < 300000; ++i) big.push_back(static_cast<char>('a' + i % 26));
  auto key = (*store)->Put(big);
  REQUIRE(key.ok());
  CHECK(*(*store)->Read(*key) == big);
}

}  // namespace
}  // namespace pastebin
