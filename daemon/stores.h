// Stores: what pasted keeps pastes and statistics in, opened together and
// held behind their interfaces (store/metadata_store.h, store/body_store.h,
// stats/stats_store.h), so the daemon and the service never name an
// implementation. Two kinds: SQLite (pastes.db) and a content directory in
// the data dir, or PostgreSQL shared by several nodes.
#ifndef PASTEBIN_DAEMON_STORES_H_
#define PASTEBIN_DAEMON_STORES_H_

#include <memory>
#include <string>

#include "common/random.h"
#include "common/status.h"
#include "daemon/stats/stats_store.h"
#include "daemon/store/body_store.h"
#include "daemon/store/metadata_store.h"
#include "daemon/store/postgres/pg_metadata_store.h"

namespace pastebin {

struct Stores {
  std::unique_ptr<MetadataStore> metadata;
  std::unique_ptr<BodyStore> bodies;
  std::unique_ptr<StatsStore> stats;
};

// Opens the stores of data_dir, creating and migrating them as needed, and
// makes their directory entries durable before any paste relies on them.
// Errors name the file and what to do. random must outlive the stores.
Result<Stores> OpenStores(const std::string& data_dir, Random& random);

// The stores of several nodes in PostgreSQL (store = postgres): rows with
// their bodies, and statistics with node's own log cursors. Migrates the
// schema once however many nodes start together. Bodies are never files
// here: the body store holds none (pastes must be stored inline).
// Reads go to options.read_url first when it is set.
Result<Stores> OpenPostgresStores(const PgStoreOptions& options);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORES_H_
