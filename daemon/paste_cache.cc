#include "daemon/paste_cache.h"

#include <functional>

#include "daemon/store/body_codec.h"

namespace pastebin {
namespace {

// Allocator and container overhead per entry, roughly: list node, hash
// node, shared_ptr control block, the strings' headers.
constexpr size_t kEntryOverhead = 256;

}  // namespace

PasteCache::PasteCache(size_t capacity_bytes)
    : capacity_(capacity_bytes), shard_capacity_(capacity_bytes / kShards), shards_(kShards) {}

std::shared_ptr<const std::string> StoredPaste::Gzip() const {
  if (zstd.empty() || contents.size() > kMaxGzipBytes) return nullptr;
  std::lock_guard<std::mutex> lock(gzip_mu_);
  if (!gzip_) {
    // Bodies that fit the cache get zlib's default effort; bigger ones,
    // compressed again on every request, the fastest.
    int level = contents.size() <= (256 << 10) ? 6 : 1;
    gzip_ = std::make_shared<const std::string>(GzipCompress(contents, level));
  }
  return gzip_;
}

bool StoredPaste::Gzipped() const {
  std::lock_guard<std::mutex> lock(gzip_mu_);
  return gzip_ != nullptr;
}

size_t PasteCache::Cost(const StoredPaste& paste) {
  return paste.contents.size() + 2 * paste.zstd.size() + paste.etag.size() +
         paste.last_modified.size() + paste.record.paste_path.size() +
         paste.record.delete_token_hash.size() + kEntryOverhead;
}

PasteCache::Shard& PasteCache::ShardFor(std::string_view shortlink) {
  return shards_[std::hash<std::string_view>()(shortlink) % kShards];
}

std::shared_ptr<const StoredPaste> PasteCache::Get(std::string_view shortlink) {
  Shard& shard = ShardFor(shortlink);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(shortlink);
  if (it == shard.index.end()) {
    if (shard.live.empty()) return nullptr;
    auto held = shard.live.find(std::string(shortlink));
    return held == shard.live.end() ? nullptr : held->second.lock();
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return *it->second;
}

uint64_t PasteCache::Epoch(std::string_view shortlink) {
  Shard& shard = ShardFor(shortlink);
  std::lock_guard<std::mutex> lock(shard.mu);
  return shard.epoch;
}

void PasteCache::EvictLocked(Shard& shard, size_t budget) {
  while (shard.bytes > budget && !shard.lru.empty()) {
    const auto& victim = shard.lru.back();
    shard.bytes -= Cost(*victim);
    shard.index.erase(victim->record.shortlink);
    shard.lru.pop_back();
  }
}

void PasteCache::Insert(std::shared_ptr<const StoredPaste> paste, uint64_t epoch) {
  size_t cost = Cost(*paste);
  Shard& shard = ShardFor(paste->record.shortlink);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.epoch != epoch) return;
  if (!Cacheable(cost)) {
    // Remembered while held; forget those nobody holds any more.
    for (auto it = shard.live.begin(); it != shard.live.end();) {
      it = it->second.expired() ? shard.live.erase(it) : std::next(it);
    }
    shard.live[paste->record.shortlink] = paste;
    return;
  }
  if (shard.index.count(paste->record.shortlink)) return;  // a racing reader won
  EvictLocked(shard, shard_capacity_ - cost);
  shard.lru.push_front(std::move(paste));
  shard.index.emplace(shard.lru.front()->record.shortlink, shard.lru.begin());
  shard.bytes += cost;
}

void PasteCache::Erase(std::string_view shortlink) {
  Shard& shard = ShardFor(shortlink);
  std::lock_guard<std::mutex> lock(shard.mu);
  shard.epoch++;
  if (!shard.live.empty()) shard.live.erase(std::string(shortlink));
  auto it = shard.index.find(shortlink);
  if (it == shard.index.end()) return;
  shard.bytes -= Cost(**it->second);
  auto node = it->second;
  shard.index.erase(it);
  shard.lru.erase(node);
}

void PasteCache::Clear() {
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.epoch++;
    shard.index.clear();
    shard.lru.clear();
    shard.live.clear();
    shard.bytes = 0;
  }
}

size_t PasteCache::bytes() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    total += shard.bytes;
  }
  return total;
}

}  // namespace pastebin
