#include "daemon/stores.h"

#include "daemon/stats/sqlite_stats_store.h"
#include "daemon/store/content_dir.h"
#include "daemon/store/sqlite/sqlite_metadata_store.h"

namespace pastebin {

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
