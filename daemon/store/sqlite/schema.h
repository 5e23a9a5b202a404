// The schema of pastes.db, one list of migrations for every store that
// shares the file. PRAGMA user_version holds the version.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_SCHEMA_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_SCHEMA_H_

#include "common/status.h"
#include "daemon/store/sqlite/sqlite.h"

namespace pastebin {

// The version this build writes.
constexpr int kSchemaVersion = 10;

// Brings db to kSchemaVersion, one transaction per step. Refuses (kInternal,
// naming the file) a database newer than this build.
Status MigrateSchema(SqliteDb& db);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_SCHEMA_H_
