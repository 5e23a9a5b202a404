#include "daemon/store/sqlite/schema.h"

#include <algorithm>
#include <iterator>
#include <string>

namespace pastebin {
namespace {

// Migration i (0-based) takes the schema from version i to i + 1. Append new
// steps; never edit a released one.
const char* const kMigrations[] = {
    // 1: the chapter's columns plus what the daemon needs. Times are seconds
    // since the epoch (UTC); expires_at is NULL for pastes that never expire.
    R"sql(
CREATE TABLE pastes (
  shortlink TEXT PRIMARY KEY NOT NULL CHECK (length(shortlink) = 7),
  expiration_length_in_minutes INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  paste_path TEXT NOT NULL,
  size INTEGER NOT NULL,
  delete_token_hash TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX pastes_created_at ON pastes (created_at);
CREATE INDEX pastes_expires_at ON pastes (expires_at)
  WHERE expires_at IS NOT NULL;
)sql",
    // 2: gc finds orphaned bodies shard by shard with a range scan on
    // paste_path.
    R"sql(
CREATE INDEX pastes_paste_path ON pastes (paste_path);
)sql",
    // 3: monthly visit statistics, rolled up from the access log.
    // monthly_totals is kept alongside so listing months never scans
    // monthly_visits; log_cursors remembers how far each log file (named by
    // a hash of its first line, which survives renames and copies) was read.
    R"sql(
CREATE TABLE monthly_visits (
  month TEXT NOT NULL,
  shortlink TEXT NOT NULL,
  visits INTEGER NOT NULL,
  PRIMARY KEY (month, shortlink)
) WITHOUT ROWID;
CREATE INDEX monthly_visits_rank ON monthly_visits (month, visits DESC);
CREATE TABLE monthly_totals (
  month TEXT PRIMARY KEY NOT NULL,
  total_visits INTEGER NOT NULL,
  pastes_visited INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE log_cursors (
  fingerprint TEXT PRIMARY KEY NOT NULL,
  path TEXT NOT NULL,
  offset INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 4: running totals of the pastes table for the metrics gauges, kept by
    // triggers in the same transaction as every insert and delete, so
    // reading them never scans the table.
    R"sql(
CREATE TABLE storage_totals (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pastes INTEGER NOT NULL,
  bytes INTEGER NOT NULL
);
INSERT INTO storage_totals SELECT 1, count(*), coalesce(sum(size), 0) FROM pastes;
CREATE TRIGGER pastes_totals_insert AFTER INSERT ON pastes BEGIN
  UPDATE storage_totals SET pastes = pastes + 1, bytes = bytes + NEW.size
    WHERE id = 1;
END;
CREATE TRIGGER pastes_totals_delete AFTER DELETE ON pastes BEGIN
  UPDATE storage_totals SET pastes = pastes - 1, bytes = bytes - OLD.size
    WHERE id = 1;
END;
)sql",
    // 5: short links (Bit.ly-style) share the link space, expiry, delete
    // and statistics of pastes: a row with a target URL and no body.
    R"sql(
ALTER TABLE pastes ADD COLUMN link_target TEXT;
)sql",
    // 6: storage v2. Small bodies live in the database, in a rowid table of
    // their own (appends fill pages in order; a body in the pastes row
    // would spill to overflow pages). body_id names the body; codec says
    // how the stored bytes are encoded (0 raw, 1 zstd); stored_size is
    // their length (NULL: as size). The unused created_at index goes, and
    // the paste_path index keeps only file bodies: fewer pages written per
    // paste. A paste's inline body goes with its row.
    R"sql(
CREATE TABLE bodies (
  id INTEGER PRIMARY KEY,
  data BLOB NOT NULL
);
ALTER TABLE pastes ADD COLUMN body_id INTEGER;
ALTER TABLE pastes ADD COLUMN codec INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pastes ADD COLUMN stored_size INTEGER;
DROP INDEX pastes_created_at;
DROP INDEX pastes_paste_path;
CREATE INDEX pastes_paste_path ON pastes (paste_path) WHERE paste_path <> '';
ALTER TABLE storage_totals ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE storage_totals SET stored_bytes = bytes;
DROP TRIGGER pastes_totals_insert;
DROP TRIGGER pastes_totals_delete;
CREATE TRIGGER pastes_totals_insert AFTER INSERT ON pastes BEGIN
  UPDATE storage_totals SET pastes = pastes + 1, bytes = bytes + NEW.size,
      stored_bytes = stored_bytes + coalesce(NEW.stored_size, NEW.size)
    WHERE id = 1;
END;
CREATE TRIGGER pastes_totals_delete AFTER DELETE ON pastes BEGIN
  UPDATE storage_totals SET pastes = pastes - 1, bytes = bytes - OLD.size,
      stored_bytes = stored_bytes - coalesce(OLD.stored_size, OLD.size)
    WHERE id = 1;
  DELETE FROM bodies WHERE id = OLD.body_id;
END;
CREATE TRIGGER pastes_totals_stored AFTER UPDATE OF stored_size ON pastes BEGIN
  UPDATE storage_totals SET stored_bytes = stored_bytes
      - coalesce(OLD.stored_size, OLD.size) + coalesce(NEW.stored_size, NEW.size)
    WHERE id = 1;
END;
)sql",
    // 7: a digest of the body as pasted (XXH3-128, 16 bytes), taken when
    // the paste is made: its HTTP ETag, without reading or hashing the body
    // again. NULL for pastes from before: readers hash those (and the cache
    // keeps the digest).
    R"sql(
ALTER TABLE pastes ADD COLUMN content_hash BLOB;
)sql",
    // 8: burn after reading: a paste served once, deleted as it is read;
    // the language its creator named for highlighting; and one paste's
    // visits by month, for its owner.
    R"sql(
ALTER TABLE pastes ADD COLUMN burn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pastes ADD COLUMN lang TEXT;
CREATE INDEX monthly_visits_link ON monthly_visits (shortlink, month);
)sql",
    // 9: links of 7 to 16 characters (link_length). Only a CHECK changes, so
    // the table's definition is edited in place, as SQLite's documentation
    // allows for changes that leave what is on disk as it is (no rebuild);
    // MigrateSchema then bumps schema_version so every connection rereads it.
    R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
  SET sql = replace(sql, 'CHECK (length(shortlink) = 7)', 'CHECK (length(shortlink) BETWEEN 7 AND 16)')
  WHERE type = 'table' AND name = 'pastes';
PRAGMA writable_schema = OFF;
)sql",
    // 10: links brought in from other pastebins keep their names (pasted
    // import): wastebin's oldest are 6 characters. As 9, in place.
    R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
  SET sql = replace(sql, 'CHECK (length(shortlink) BETWEEN 7 AND 16)', 'CHECK (length(shortlink) BETWEEN 6 AND 16)')
  WHERE type = 'table' AND name = 'pastes';
PRAGMA writable_schema = OFF;
)sql",
};
// Steps that edit the schema's text (writable_schema).
constexpr int64_t kEditsSchemaText[] = {9, 10};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

}  // namespace

Status MigrateSchema(SqliteDb& db) {
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) {
    return Status(Code::kInternal, "database " + db.path() + " has schema version " +
                                       std::to_string(*version) + ", newer than this pasted (" +
                                       std::to_string(kSchemaVersion) +
                                       "); upgrade pasted or use another data dir");
  }
  for (int64_t v = *version; v < kSchemaVersion; ++v) {
    Status s = db.Exec(std::string("BEGIN IMMEDIATE;") + kMigrations[v]);
    if (s.ok() && std::count(std::begin(kEditsSchemaText), std::end(kEditsSchemaText), v + 1)) {
      auto schema = db.QueryInt("PRAGMA schema_version");
      s = schema.ok() ? db.Exec("PRAGMA schema_version = " + std::to_string(*schema + 1) + ";")
                      : schema.status();
    }
    if (s.ok()) {
      s = db.Exec("PRAGMA user_version = " + std::to_string(v + 1) + "; COMMIT;");
    }
    if (!s.ok()) {
      db.Exec("ROLLBACK;");
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace pastebin
