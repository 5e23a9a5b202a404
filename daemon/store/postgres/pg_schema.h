// The PostgreSQL schema of pasted's shared store and its migrations. Several
// nodes may start at once: each migration runs in a transaction holding a
// transaction-level advisory lock, so exactly one node applies each step and
// the others find it done.
#ifndef PASTEBIN_DAEMON_STORE_POSTGRES_PG_SCHEMA_H_
#define PASTEBIN_DAEMON_STORE_POSTGRES_PG_SCHEMA_H_

#include <cstdint>

#include "common/status.h"
#include "daemon/store/postgres/pg.h"

namespace pastebin {

constexpr int kPgSchemaVersion = 5;
// The advisory lock key pasted's migrations hold ("pasted" in ASCII).
constexpr int64_t kPgMigrationLock = 0x706173746564;

// Brings the database to kPgSchemaVersion; a no-op when it is there.
// Refuses (kInternal, naming both versions) a database newer than this
// pasted. kUnavailable when the server cannot be reached.
Status MigratePgSchema(PgConn& conn);

// The schema version the database is at (0 before any migration).
Result<int> PgSchemaVersion(PgConn& conn);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_SCHEMA_H_
