#include "daemon/stores.h"

#include "daemon/stats/pg_stats_store.h"
#include "daemon/stats/sqlite_stats_store.h"
#include "daemon/store/content_dir.h"
#include "daemon/store/postgres/pg_metadata_store.h"
#include "daemon/store/sqlite/sqlite_metadata_store.h"

namespace pastebin {
namespace {

// The body store of a store whose bodies live in their rows: it holds
// nothing, and is asked for nothing but room.
class NoBodies : public BodyStore {
 public:
  Result<std::string> Put(std::string_view) override {
    return Internal("this store keeps bodies in their rows, not in files");
  }
  Result<std::string> Read(const std::string& key) override {
    return NotFound("paste body " + key + " is gone");
  }
  Status CheckWritable(int64_t) override { return Status::Ok(); }
  Status Remove(const std::string&) override { return Status::Ok(); }
  Result<Sweep> RemoveOrphans(int64_t, int64_t, const ReferencedKeys&) override { return Sweep(); }
};

}  // namespace

Result<Stores> OpenPostgresStores(const PgStoreOptions& options) {
  Stores out;
  auto metadata = PgMetadataStore::Open(options);  // migrates
  if (!metadata.ok()) return metadata.status();
  out.metadata = std::move(metadata).value();
  out.bodies = std::make_unique<NoBodies>();
  auto stats = PgStatsStore::Open(options.url, options.node);
  if (!stats.ok()) return stats.status();
  out.stats = std::move(stats).value();
  return out;
}

Result<Stores> OpenStores(const std::string& dir, Random& random) {
  Stores out;
  auto metadata = SqliteMetadataStore::Open(dir + "/pastes.db");
  if (!metadata.ok()) return metadata.status();
  out.metadata = std::move(metadata).value();
  auto bodies = ContentDir::Open(dir, random);
  if (!bodies.ok()) return bodies.status();
  out.bodies = std::move(bodies).value();
  // The database, its WAL and content/ may have just been created: make
  // their directory entries durable before the first 201 relies on them.
  for (const std::string& path : {dir, dir + "/content"}) {
    Status s = SyncDir(path);
    if (!s.ok()) return s;
  }
  auto stats = SqliteStatsStore::Open(dir + "/pastes.db");
  if (!stats.ok()) return stats.status();
  out.stats = std::move(stats).value();
  return out;
}

}  // namespace pastebin
