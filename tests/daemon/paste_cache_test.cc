#include "daemon/paste_cache.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

std::shared_ptr<const StoredPaste> CachedPaste(const std::string& link, size_t size) {
  auto p = std::make_shared<StoredPaste>();
  p->record.shortlink = link;
  p->contents = std::string(size, 'x');
  return p;
}

std::string Link(int i) {
  char buf[8];
  snprintf(buf, sizeof(buf), "c%06d", i);
  return buf;
}

TEST_CASE("the cache stays within its capacity and evicts the least recent") {
  PasteCache cache(1 << 20);  // 64 KiB a shard
  for (int i = 0; i < 2000; ++i) {
    cache.Insert(CachedPaste(Link(i), 1000), cache.Epoch(Link(i)));
    REQUIRE(cache.bytes() <= cache.capacity());
  }
  CHECK(cache.bytes() > cache.capacity() / 2);  // it is used, not starved
  CHECK(cache.Get(Link(1999)) != nullptr);      // recent ones stay
  CHECK(cache.Get(Link(0)) == nullptr);         // old ones went
}

TEST_CASE("a cache hit refreshes the entry") {
  // 10 KiB a shard: 8 entries of 1000 bytes plus bookkeeping.
  PasteCache cache(16 * 10240);
  // Far more entries than fit, touching the first one after each insert.
  for (int i = 0; i < 400; ++i) {
    cache.Insert(CachedPaste(Link(i), 1000), cache.Epoch(Link(i)));
    REQUIRE(cache.Get(Link(0)) != nullptr);
  }
  CHECK(cache.Get(Link(1)) == nullptr);  // not touched: evicted long ago
}

TEST_CASE("huge pastes are not cached") {
  PasteCache cache(16 << 20);  // 1 MiB a shard: at most 128 KiB an entry
  cache.Insert(CachedPaste("Big0001", 200 << 10), cache.Epoch("Big0001"));
  CHECK(cache.Get("Big0001") == nullptr);
  cache.Insert(CachedPaste("Sml0001", 100 << 10), cache.Epoch("Sml0001"));
  CHECK(cache.Get("Sml0001") != nullptr);
}

TEST_CASE("an entry loaded across an erase is not inserted") {
  PasteCache cache(1 << 20);
  uint64_t epoch = cache.Epoch("Ab3dE9x");  // a reader starts loading...
  cache.Erase("Ab3dE9x");                   // ...a delete lands meanwhile
  cache.Insert(CachedPaste("Ab3dE9x", 10), epoch);
  CHECK(cache.Get("Ab3dE9x") == nullptr);
  cache.Insert(CachedPaste("Ab3dE9x", 10), cache.Epoch("Ab3dE9x"));
  CHECK(cache.Get("Ab3dE9x") != nullptr);
  cache.Erase("Ab3dE9x");
  CHECK(cache.Get("Ab3dE9x") == nullptr);
  CHECK(cache.bytes() == 0);
}

TEST_CASE("a zero capacity turns the cache off") {
  PasteCache cache(0);
  cache.Insert(CachedPaste("Ab3dE9x", 10), cache.Epoch("Ab3dE9x"));
  CHECK(cache.Get("Ab3dE9x") == nullptr);
}

}  // namespace
}  // namespace pastebin
