// Stores: what pasted keeps pastes and statistics in, opened together and
// held behind their interfaces, so that nothing above store/ names an
// implementation. The kind is chosen here and nowhere else:
//   sqlite    pastes.db (rows, small bodies, statistics) and a content
//             directory for large bodies, in the data dir: one node;
//   postgres  one database shared by several nodes, every body in its row,
//             with a feed of the other nodes' deletes.
#ifndef PASTEBIN_DAEMON_STORE_STORES_H_
#define PASTEBIN_DAEMON_STORE_STORES_H_

#include <memory>
#include <string>

#include "common/random.h"
#include "common/status.h"
#include "daemon/store/archive.h"
#include "daemon/store/body_store.h"
#include "daemon/store/delete_feed.h"
#include "daemon/store/file_bodies.h"
#include "daemon/store/metadata_store.h"
#include "daemon/store/stats_store.h"

namespace pastebin {

struct StoreOptions {
  std::string kind = "sqlite";   // the store setting: sqlite or postgres
  std::string data_dir;          // sqlite: pastes.db and content/ live here
  int64_t wal_limit = 64 << 20;  // sqlite: the bytes pastes.db-wal may reach
  // sqlite: the opener holds the data dir's lock (no other pasted serves
  // it), so an older pastes.db may have its rows moved (schema.h).
  bool holds_data_dir = true;
  // postgres: the primary (libpq; several hosts with read-write find a
  // promoted standby), an optional replica for reads, this node's name,
  // and the name nodes had before they had their own (the host name).
  std::string postgres_url;
  std::string postgres_read_url;
  std::string node;
  std::string legacy_node;
  int postgres_timeout = 3;  // seconds: the longest wait on PostgreSQL
};

struct Stores {
  std::unique_ptr<MetadataStore> metadata;
  std::unique_ptr<StatsStore> stats;
  // Large bodies as files, and metadata's index of them; empty when every
  // body lives in its row.
  std::unique_ptr<BodyStore> body_files;
  FileBodyIndex* body_index = nullptr;
  // Other nodes' deletes; null when this node is the only one.
  std::unique_ptr<DeleteFeed> deletes;
  // Every row and visit count, for pasted export and import: metadata's
  // and stats' own (never null once opened).
  PasteRows* rows = nullptr;
  VisitRows* visits = nullptr;

  FileBodies files() const { return {body_files.get(), body_index}; }
};

// What pasted backup and pasted restore copied.
struct BackupSummary {
  int64_t pastes = 0;          // rows of pastes (short links too)
  int64_t files = 0;           // large bodies copied as files
  int64_t bytes = 0;           // bytes of those files
  int64_t deleted_during = 0;  // pastes left out: deleted while the backup ran
};

// pasted backup DEST and pasted restore SRC for the store options name
// (store sqlite: its data dir, see store/sqlite/data_dir_backup.h); a store
// backed up by its own tools (PostgreSQL: pgBackRest) is kInvalidArgument
// saying so.
Result<BackupSummary> BackUpStore(const StoreOptions& options, const std::string& dest);
Result<BackupSummary> RestoreStore(const StoreOptions& options, const std::string& src);

// Opens the stores of options.kind, creating and migrating them as needed
// (PostgreSQL's schema once however many nodes start together), and makes
// new directory entries durable before any paste relies on them. Errors
// name the file or server and what to do; kInvalidArgument for an unknown
// kind. random must outlive the stores.
Result<Stores> OpenStores(const StoreOptions& options, Random& random);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_STORES_H_
