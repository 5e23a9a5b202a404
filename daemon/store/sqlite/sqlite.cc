#include "daemon/store/sqlite/sqlite.h"

#include <sqlite3.h>

#include <mutex>

namespace pastebin {
Code CodeForSqliteError(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return Code::kConflict;
    case SQLITE_FULL:
      return Code::kInsufficientStorage;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Code::kUnavailable;
    default:
      return Code::kInternal;
  }
}

void ConfigureSqlite() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SQLite counts the memory it allocates under one process-wide mutex,
    // taken on every malloc and free: the loops' readers, the workers and
    // the committer contend on it. Nothing here reads those counts.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, bool create,
                                                 const char* vfs) {
  ConfigureSqlite();
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is used by one thread at a time (the stores
  // guarantee it), so SQLite's per-connection mutex is pure overhead.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status(CodeForSqliteError(rc), "cannot open database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kDefaultBusyTimeoutMs);
  return std::unique_ptr<SqliteDb>(new SqliteDb(db, path));
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Status SqliteDb::BackupTo(const std::string& dest_path) {
  auto dest = Open(dest_path, /*create=*/true);
  if (!dest.ok()) return dest.status();
  sqlite3_backup* backup = sqlite3_backup_init((*dest)->handle(), "main", db_, "main");
  if (backup == nullptr) return (*dest)->Error("cannot start a backup into " + dest_path);
  // All pages in one step: one read transaction, one consistent snapshot.
  int rc;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    sqlite3_sleep(10);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return Status(CodeForSqliteError(rc),
                  "backing up " + path_ + " into " + dest_path + ": " + sqlite3_errstr(rc));
  }
  return Status::Ok();
}

Status SqliteDb::Error(const std::string& what) const {
  int rc = sqlite3_extended_errcode(db_);
  return Status(CodeForSqliteError(rc), what + " (" + path_ + "): " + sqlite3_errmsg(db_));
}

int64_t SqliteDb::Changes() { return sqlite3_changes64(db_); }

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return Status(CodeForSqliteError(rc),
                "database " + path_ + ": " + msg + " (running: " + sql + ")");
}

Result<std::unique_ptr<SqliteStmt>> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error("cannot prepare '" + std::string(sql) + "'");
  return std::unique_ptr<SqliteStmt>(new SqliteStmt(this, stmt));
}

int64_t SqliteDb::LastInsertRowid() { return sqlite3_last_insert_rowid(db_); }

Result<WalCheckpoint> SqliteDb::Checkpoint(CheckpointMode mode) {
  WalCheckpoint out;
  int how = mode == CheckpointMode::kPassive   ? SQLITE_CHECKPOINT_PASSIVE
            : mode == CheckpointMode::kRestart ? SQLITE_CHECKPOINT_RESTART
                                               : SQLITE_CHECKPOINT_TRUNCATE;
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, how, &out.wal_frames, &out.checkpointed);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return Error("checkpoint failed");
  out.busy = rc == SQLITE_BUSY;
  return out;
}

bool SqliteDb::LastFailureWasSync() const {
  int rc = sqlite3_extended_errcode(db_);
  return rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_DIR_FSYNC;
}

void SqliteDb::SetBusyTimeout(int ms) { sqlite3_busy_timeout(db_, ms); }

Result<int64_t> SqliteDb::QueryInt(const std::string& sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  auto step = (*stmt)->Next();
  if (!step.ok()) return step.status();
  if (*step != SqliteStmt::Step::kRow) return Internal("no row from " + sql);
  return (*stmt)->Int(0);
}

SqliteStmt::~SqliteStmt() { sqlite3_finalize(stmt_); }

void SqliteStmt::BindText(int i, std::string_view s) {
  sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}
void SqliteStmt::BindBlob(int i, std::string_view b) {
  // Bound without a copy: the caller keeps the bytes until the step.
  sqlite3_bind_blob64(stmt_, i, b.data(), b.size(), SQLITE_STATIC);
}
void SqliteStmt::BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void SqliteStmt::BindNull(int i) { sqlite3_bind_null(stmt_, i); }

Result<SqliteStmt::Step> SqliteStmt::Next() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return Step::kRow;
  if (rc == SQLITE_DONE) return Step::kDone;
  Status s = db_->Error("database statement failed");
  Reset();
  return s;
}

Status SqliteStmt::Run() {
  auto step = Next();
  Reset();
  return step.ok() ? Status::Ok() : step.status();
}

void SqliteStmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t SqliteStmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
std::string SqliteStmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

std::string SqliteStmt::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
}

}  // namespace pastebin
