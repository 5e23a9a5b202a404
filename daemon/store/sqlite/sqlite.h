// A thin RAII layer over the SQLite C API: a connection and a prepared
// statement. Errors come back as Status; nothing here throws. Neither class
// is thread-safe: one thread uses a connection (and its statements) at a time.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pastebin {

class SqliteStmt;

// What a WAL checkpoint found and did.
struct WalCheckpoint {
  int wal_frames = 0;    // frames in the WAL (-1: the database is not in WAL mode)
  int checkpointed = 0;  // of which now in the database file
  bool busy = false;     // another connection held it up
};

// How a checkpoint waits (sqlite3_wal_checkpoint_v2's modes).
enum class CheckpointMode {
  kPassive,   // copies what it can, waiting for no one
  kRestart,   // waits for the writer, copies everything, waits for readers
              // to leave the WAL: the next commit starts it over
  kTruncate,  // as kRestart, and empties the file
};

// Process-wide settings, applied once before SQLite initializes (later
// calls do nothing). Open and the VFS registration call it.
void ConfigureSqlite();

class SqliteDb {
 public:
  // How long a connection waits for another's lock before giving up with
  // SQLITE_BUSY. Writers hold the lock for one commit (milliseconds), so
  // this only runs out when something is badly wrong.
  static constexpr int kDefaultBusyTimeoutMs = 10000;

  // Opens (creating if asked) the database file with a busy timeout, so that
  // a locked database waits instead of failing at once. vfs: a registered
  // VFS's name (nowait_vfs.h), or null for SQLite's default.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, bool create,
                                                const char* vfs = nullptr);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements that return no rows.
  Status Exec(const std::string& sql);
  Result<std::unique_ptr<SqliteStmt>> Prepare(std::string_view sql);
  // A PRAGMA's single integer answer (e.g. user_version).
  Result<int64_t> QueryInt(const std::string& sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes();
  // The rowid of the last row this connection inserted.
  int64_t LastInsertRowid();
  // Copies WAL frames into the database file (see CheckpointMode).
  Result<WalCheckpoint> Checkpoint(CheckpointMode mode);
  // True when this connection's last failure was a failed fsync or
  // fdatasync (SQLITE_IOERR_FSYNC, SQLITE_IOERR_DIR_FSYNC).
  bool LastFailureWasSync() const;
  // How long this connection waits for another's lock (default 10 s).
  void SetBusyTimeout(int ms);
  // Copies the whole database, as of one moment (a read transaction, so
  // writers go on meanwhile), into a new database file at dest_path.
  Status BackupTo(const std::string& dest_path);
  // Status for the connection's last error, prefixed with `what`.
  Status Error(const std::string& what) const;
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

class SqliteStmt {
 public:
  enum class Step { kRow, kDone };

  ~SqliteStmt();
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;

  // Bind parameters by 1-based index. Text is copied by SQLite.
  void BindText(int i, std::string_view s);
  void BindInt(int i, int64_t v);
  void BindNull(int i);
  // Not copied: b must stay valid until the statement is stepped or reset.
  void BindBlob(int i, std::string_view b);
  // kRow, kDone, or a Status: kConflict for a constraint violation,
  // kInsufficientStorage for a full disk, kUnavailable for busy/locked,
  // kInternal otherwise.
  Result<Step> Next();
  // Resets the statement and clears its bindings for reuse.
  void Reset();
  // Steps a statement that returns no rows to its end, then resets it; the
  // error as Next gives it.
  Status Run();

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  std::string Text(int col) const;
  std::string Blob(int col) const;

 private:
  friend class SqliteDb;
  SqliteStmt(SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteDb* db_;
  sqlite3_stmt* stmt_;
};

// Maps an SQLite result code to a Code (see SqliteStmt::Next).
Code CodeForSqliteError(int rc);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_H_
