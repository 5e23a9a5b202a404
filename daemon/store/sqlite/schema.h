// The schema of pastes.db, one list of migrations for every store that
// shares the file. PRAGMA user_version holds the version.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_SCHEMA_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_SCHEMA_H_

#include "common/status.h"
#include "daemon/store/sqlite/sqlite.h"

namespace pastebin {

// The version this build writes.
constexpr int kSchemaVersion = 12;

// Brings db to version to (kSchemaVersion but in tests of a migration), one
// transaction per step, and finishes a move to storage v3 (version 11) that a
// stopped start left, a batch of rows per transaction. Refuses (kInternal,
// naming the file) a database newer than this build. move_batches >= 0
// stops that move after so many batches, as a stopped start would (tests).
// The move changes the tables under any older pasted still serving the file:
// without may_move (a caller that does not hold the data dir's lock) a file
// that needs it is refused (kUnavailable, saying what to do).
Status MigrateSchema(SqliteDb& db, int64_t to = kSchemaVersion, int64_t move_batches = -1,
                     bool may_move = true);

// Rows moved to storage v3 in one transaction.
constexpr int64_t kMoveBatch = 10000;

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_SCHEMA_H_
