#include "daemon/store/stores.h"

#include "daemon/store/content_dir.h"
#include "daemon/store/postgres/pg_eviction_listener.h"
#include "daemon/store/postgres/pg_metadata_store.h"
#include "daemon/store/postgres/pg_stats_store.h"
#include "daemon/store/sqlite/data_dir_backup.h"
#include "daemon/store/sqlite/sqlite_metadata_store.h"
#include "daemon/store/sqlite/sqlite_stats_store.h"

namespace pastebin {
namespace {

Result<Stores> OpenPostgres(const StoreOptions& options) {
  Stores out;
  PgStoreOptions pg{options.postgres_url, options.postgres_read_url, options.node,
                    options.postgres_timeout};
  auto metadata = PgMetadataStore::Open(pg);  // migrates
  if (!metadata.ok()) return metadata.status();
  out.rows = metadata->get();
  out.metadata = std::move(metadata).value();
  auto stats = PgStatsStore::Open(options.postgres_url, options.node, options.legacy_node,
                                  options.postgres_timeout);
  if (!stats.ok()) return stats.status();
  out.visits = stats->get();
  out.stats = std::move(stats).value();
  out.deletes =
      std::make_unique<PgEvictionListener>(options.postgres_url, options.postgres_timeout);
  return out;
}

Result<Stores> OpenSqlite(const std::string& dir, int64_t wal_limit, bool holds_data_dir,
                          Random& random) {
  Stores out;
  auto metadata = SqliteMetadataStore::Open(dir + "/pastes.db", wal_limit, holds_data_dir);
  if (!metadata.ok()) return metadata.status();
  out.body_index = metadata->get();
  out.rows = metadata->get();
  out.metadata = std::move(metadata).value();
  auto bodies = ContentDir::Open(dir, random);
  if (!bodies.ok()) return bodies.status();
  out.body_files = std::move(bodies).value();
  // The database, its WAL and content/ may have just been created: make
  // their directory entries durable before the first 201 relies on them.
  for (const std::string& path : {dir, dir + "/content"}) {
    Status s = SyncDir(path);
    if (!s.ok()) return s;
  }
  auto stats = SqliteStatsStore::Open(dir + "/pastes.db");
  if (!stats.ok()) return stats.status();
  out.visits = stats->get();
  out.stats = std::move(stats).value();
  return out;
}

Status NotOurs(const StoreOptions& options, const std::string& action) {
  if (options.kind == "postgres") {
    return InvalidArgument(action +
                           " copies a data dir of store sqlite; with store postgres, back up "
                           "PostgreSQL (pgBackRest, see pasted(8), BACKUPS)");
  }
  return InvalidArgument("store '" + options.kind + "' is not a store; use sqlite or postgres");
}

}  // namespace

Result<BackupSummary> BackUpStore(const StoreOptions& options, const std::string& dest) {
  if (options.kind != "sqlite") return NotOurs(options, "backup");
  return BackupDataDir(options.data_dir, dest);
}

Result<BackupSummary> RestoreStore(const StoreOptions& options, const std::string& src) {
  if (options.kind != "sqlite") return NotOurs(options, "restore");
  return RestoreDataDir(src, options.data_dir);
}

Result<Stores> OpenStores(const StoreOptions& options, Random& random) {
  if (options.kind == "sqlite") {
    return OpenSqlite(options.data_dir, options.wal_limit, options.holds_data_dir, random);
  }
  if (options.kind == "postgres") return OpenPostgres(options);
  return InvalidArgument("store '" + options.kind + "' is not a store; use sqlite or postgres");
}

}  // namespace pastebin
