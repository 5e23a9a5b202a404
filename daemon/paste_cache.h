// PasteCache: a bounded LRU of hot pastes (row and body), so following a
// popular link touches neither SQLite nor the disk. Sharded by shortlink so
// readers on different links rarely share a lock. Thread-safe.
//
// It never serves what the stores would not: callers check expiry on every
// hit, deletes and gc erase entries, and an entry loaded while its paste
// was being erased is not inserted (see Epoch/Insert).
#ifndef PASTEBIN_DAEMON_PASTE_CACHE_H_
#define PASTEBIN_DAEMON_PASTE_CACHE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daemon/store/metadata_store.h"

namespace pastebin {

// The largest paste answered gzip-compressed.
constexpr size_t kMaxGzipBytes = 1 << 20;

struct StoredPaste {
  PasteRecord record;  // record.content_hash is always set for a paste
  std::string contents;
  // The stored bytes when they are zstd-compressed (record.codec): sent as
  // they are to a client that accepts zstd. Empty otherwise.
  std::string zstd;
  // Its raw bytes' ETag and its Last-Modified, made once when it is loaded
  // (PasteService's load hook: web/paste_answer's AddValidators), off the
  // event loop, rather than on every hit. Empty for a short link.
  std::string etag;
  std::string last_modified;
  // For a paste too big to cache: its share of the answer budget, given
  // back when its last reader is done with it (PasteService::Get).
  std::shared_ptr<void> charge;

  // contents gzip-compressed, made on the first call and kept with the
  // paste (so a cached paste is compressed once), or nullptr when zstd is
  // empty (what did not compress is not worth gzip either) or contents
  // are over kMaxGzipBytes (gzip costs ~10 ms a MB here, on a reader; zstd
  // clients get any size, from the stored bytes). The first call costs
  // CPU in proportion to the body; Gzipped() says whether it was made.
  std::shared_ptr<const std::string> Gzip() const;
  bool Gzipped() const;

 private:
  mutable std::mutex gzip_mu_;
  mutable std::shared_ptr<const std::string> gzip_;
};

class PasteCache {
 public:
  // capacity_bytes: the most the cached pastes may take, bookkeeping
  // included; 0 turns the cache off. A paste bigger than an eighth of a
  // shard's share is never cached, so one huge paste cannot flush the rest.
  explicit PasteCache(size_t capacity_bytes);

  // The cached paste, or nullptr.
  std::shared_ptr<const StoredPaste> Get(std::string_view shortlink);

  // A token to pass to Insert: take it before reading the stores.
  uint64_t Epoch(std::string_view shortlink);
  // Caches paste unless an Erase on its shard came after `epoch` was taken
  // (the stores may have changed under the caller), evicting the least
  // recently used pastes to make room. A paste too big to cache (see
  // Cacheable) is only remembered while someone holds it: readers that come
  // meanwhile share that copy instead of loading one each.
  void Insert(std::shared_ptr<const StoredPaste> paste, uint64_t epoch);
  // Whether a paste of this Cost is kept, not only shared while held.
  bool Cacheable(size_t cost) const { return capacity_ > 0 && cost <= shard_capacity_ / 8; }

  void Erase(std::string_view shortlink);
  // Erases everything (and, as Erase, keeps out loads begun before).
  void Clear();

  size_t bytes() const;
  size_t capacity() const { return capacity_; }

  // What one cached paste is charged: its body (twice for one stored
  // compressed: the zstd bytes and room for a gzip copy, which is about
  // their size) and row plus bookkeeping.
  static size_t Cost(const StoredPaste& paste);

 private:
  struct Shard {
    mutable std::mutex mu;
    std::list<std::shared_ptr<const StoredPaste>> lru;  // front = newest
    std::unordered_map<std::string_view,
                       std::list<std::shared_ptr<const StoredPaste>>::iterator>
        index;  // keys view the shortlink inside the entry
    size_t bytes = 0;
    uint64_t epoch = 0;
    // Pastes too big to cache, while someone holds them.
    std::unordered_map<std::string, std::weak_ptr<const StoredPaste>> live;
  };
  static constexpr size_t kShards = 16;
  Shard& ShardFor(std::string_view shortlink);
  void EvictLocked(Shard& shard, size_t budget);

  size_t capacity_;
  size_t shard_capacity_;
  std::vector<Shard> shards_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_PASTE_CACHE_H_
