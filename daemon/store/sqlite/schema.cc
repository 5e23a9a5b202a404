#include "daemon/store/sqlite/schema.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <iterator>
#include <string>

#include "daemon/base/log.h"
#include "daemon/base/systemd.h"

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
    // 11: storage v3 (MoveToStorageV3 moves the rows; this begins it).
    // A paste's row and its inline body are one row of a rowid table,
    // appended in order; a unique index finds it by link. Keyed by its
    // random link, the row landed on a random leaf of a table of rows a
    // hundred bytes and more: about 1.5 pages into the WAL a paste with the
    // leaves' splits, and a table too big for checkpoints to copy a leaf once
    // for many pastes. The index's entries are a link and a rowid: a leaf
    // holds a few hundred. A lookup reads as many pages as before (index and
    // row, where it was row and body). The old tables' triggers go now: rows
    // move without changing the totals.
    R"sql(
CREATE TABLE pastes_v11 (
  id INTEGER PRIMARY KEY,
  shortlink TEXT NOT NULL CHECK (length(shortlink) BETWEEN 6 AND 16),
  expiration_length_in_minutes INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  paste_path TEXT NOT NULL,
  size INTEGER NOT NULL,
  delete_token_hash TEXT NOT NULL,
  link_target TEXT,
  codec INTEGER NOT NULL DEFAULT 0,
  stored_size INTEGER,
  content_hash BLOB,
  burn INTEGER NOT NULL DEFAULT 0,
  lang TEXT,
  body BLOB
);
CREATE UNIQUE INDEX pastes_shortlink ON pastes_v11 (shortlink);
DROP TRIGGER pastes_totals_insert;
DROP TRIGGER pastes_totals_delete;
DROP TRIGGER pastes_totals_stored;
)sql",
    // 12: keyed links (link_cipher.h). A new paste's link is its row's
    // number encrypted with the store's key (link_key, made by the store
    // when it first opens the file): unique without an index, and found by
    // its row. The link index keeps only the links made before and those
    // brought in (keyed = 0). It held every link, and each paste wrote a
    // random leaf of it (4 KiB into the WAL): a third of durable writes'
    // rate and two thirds of their bytes. Every row in it now has keyed = 0,
    // so it is made partial in place (as 9 and 10), with no rebuild.
    // next_id: numbers at or below a deleted keyed row's are never used
    // again, so a deleted paste's link is never another's.
    R"sql(
ALTER TABLE pastes ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE link_key (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  key BLOB NOT NULL CHECK (length(key) = 16),
  next_id INTEGER NOT NULL
);
CREATE TRIGGER pastes_next_id AFTER DELETE ON pastes
  WHEN OLD.id >= (SELECT next_id FROM link_key) BEGIN
  UPDATE link_key SET next_id = OLD.id + 1;
END;
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
  SET sql = 'CREATE UNIQUE INDEX pastes_shortlink ON pastes (shortlink) WHERE keyed = 0'
  WHERE type = 'index' AND name = 'pastes_shortlink';
PRAGMA writable_schema = OFF;
)sql",
};
// Steps that edit the schema's text (writable_schema).
constexpr int64_t kEditsSchemaText[] = {9, 10, 12};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

// The last step of 11, once pastes_v11 holds every row.
constexpr char kFinishStorageV3[] = R"sql(
DROP TABLE pastes;
DROP TABLE bodies;
ALTER TABLE pastes_v11 RENAME TO pastes;
CREATE INDEX pastes_expires_at ON pastes (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX pastes_paste_path ON pastes (paste_path) WHERE paste_path <> '';
CREATE TRIGGER pastes_totals_insert AFTER INSERT ON pastes BEGIN
  UPDATE storage_totals SET pastes = pastes + 1, bytes = bytes + NEW.size,
      stored_bytes = stored_bytes + coalesce(NEW.stored_size, NEW.size)
    WHERE id = 1;
END;
CREATE TRIGGER pastes_totals_delete AFTER DELETE ON pastes BEGIN
  UPDATE storage_totals SET pastes = pastes - 1, bytes = bytes - OLD.size,
      stored_bytes = stored_bytes - coalesce(OLD.stored_size, OLD.size)
    WHERE id = 1;
END;
CREATE TRIGGER pastes_totals_stored AFTER UPDATE OF stored_size ON pastes BEGIN
  UPDATE storage_totals SET stored_bytes = stored_bytes
      - coalesce(OLD.stored_size, OLD.size) + coalesce(NEW.stored_size, NEW.size)
    WHERE id = 1;
END;
)sql";

// Runs body in one write transaction: committed if it succeeds, rolled back
// if anything fails.
Status RunIn(SqliteDb& db, const std::function<Status()>& body) {
  Status s = db.Exec("BEGIN IMMEDIATE;");
  if (!s.ok()) return s;
  s = body();
  if (s.ok()) s = db.Exec("COMMIT;");
  if (!s.ok()) db.Exec("ROLLBACK;");
  return s;
}

// Moves one batch (kMoveBatch rows of the old table, in link order, with
// their bodies) to storage v3, adding how many to *moved (none: the old
// table is empty). A batch a transaction: the WAL stays small (checkpointed
// after each) and the pages the old rows free hold the next ones, so the
// file grows by little more than one batch.
Status MoveBatch(SqliteDb& db, int64_t* moved) {
  return RunIn(db, [&]() -> Status {
    auto last = db.Prepare(
        "SELECT max(shortlink) FROM (SELECT shortlink FROM pastes ORDER BY shortlink LIMIT ?1)");
    if (!last.ok()) return last.status();
    (*last)->BindInt(1, kMoveBatch);
    auto step = (*last)->Next();
    if (!step.ok()) return step.status();
    if ((*last)->IsNull(0)) return Status::Ok();
    std::string upto = (*last)->Text(0);
    const char* const moves[] = {
        "INSERT INTO pastes_v11 (shortlink, expiration_length_in_minutes, created_at,"
        " expires_at, paste_path, size, delete_token_hash, link_target, codec, stored_size,"
        " content_hash, burn, lang, body)"
        " SELECT p.shortlink, p.expiration_length_in_minutes, p.created_at, p.expires_at,"
        " p.paste_path, p.size, p.delete_token_hash, p.link_target, p.codec, p.stored_size,"
        " p.content_hash, p.burn, p.lang, b.data"
        " FROM pastes p LEFT JOIN bodies b ON b.id = p.body_id WHERE p.shortlink <= ?1"
        " ORDER BY p.shortlink",
        "DELETE FROM bodies WHERE id IN"
        " (SELECT body_id FROM pastes WHERE shortlink <= ?1 AND body_id IS NOT NULL)",
        "DELETE FROM pastes WHERE shortlink <= ?1",
    };
    for (size_t i = 0; i < std::size(moves); ++i) {
      auto st = db.Prepare(moves[i]);
      if (!st.ok()) return st.status();
      (*st)->BindText(1, upto);
      Status s = (*st)->Run();
      if (!s.ok()) return s;
      if (i == 0) *moved += db.Changes();  // the rows inserted
    }
    return Status::Ok();
  });
}

// Whether a move to storage v3 has begun and not finished (pastes_v11 is
// there), as a count: 0 or 1.
Result<int64_t> MoveUnfinished(SqliteDb& db) {
  return db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'pastes_v11'");
}

// Refuses a move to storage v3 to an opener without the data dir's lock.
Status MoveNotHere(SqliteDb& db, const std::string& why) {
  return Status(Code::kUnavailable,
                "database " + db.path() + ": " + why +
                    "; its pastes move to this pasted's layout (storage v3, keyed links) once,"
                    " when pasted itself starts on it, while no older pasted serves it;"
                    " restart pasted (systemctl restart pasted), then run this again");
}

// Finishes 11 where it was begun (now, or by a start that was stopped):
// moves the rows left in the old tables, then swaps the tables. Tells
// systemd how far it is, and to wait, after each batch.
Status MoveToStorageV3(SqliteDb& db, int64_t batches, bool may_move) {
  auto begun = MoveUnfinished(db);
  if (!begun.ok()) return begun.status();
  if (*begun == 0) return Status::Ok();
  if (!may_move) return MoveNotHere(db, "its move to storage v3 was stopped midway");
  auto left = db.QueryInt("SELECT count(*) FROM pastes");
  if (!left.ok()) return left.status();
  const int64_t total = *left;
  int64_t moved = 0;
  const auto started = std::chrono::steady_clock::now();
  if (total > 0) {
    LogInfo("moving " + std::to_string(total) + " pastes of " + db.path() +
            " to storage v3 (once: a row and its body together)");
  }
  // Until a batch finds the old table empty: the tables are swapped only
  // then, in a transaction that checks it again.
  for (;;) {
    if (batches-- == 0) return Status::Ok();
    int64_t before = moved;
    Status s = MoveBatch(db, &moved);
    if (s.ok()) {
      auto cp = db.Checkpoint(CheckpointMode::kTruncate);
      if (!cp.ok()) s = cp.status();
    }
    if (!s.ok()) {
      return Status(s.code(), "moving the pastes of " + db.path() + " to storage v3 (" +
                                  std::to_string(moved) + " of " + std::to_string(total) +
                                  " moved; the next start goes on from there): " + s.message());
    }
    if (moved == before) break;
    NotifyServiceManager("EXTEND_TIMEOUT_USEC=60000000\nSTATUS=moving pastes to storage v3: " +
                         std::to_string(moved) + " of " + std::to_string(total));
  }
  Status s = RunIn(db, [&]() -> Status {
    auto rest = db.QueryInt("SELECT count(*) FROM pastes");
    if (!rest.ok()) return rest.status();
    if (*rest != 0) return Internal(std::to_string(*rest) + " pastes were not moved");
    return db.Exec(kFinishStorageV3);
  });
  if (!s.ok()) return s;
  if (total > 0) {
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    LogInfo("moved " + std::to_string(total) + " pastes to storage v3 in " +
            std::to_string(static_cast<int64_t>(secs)) + " s");
  }
  auto cp = db.Checkpoint(CheckpointMode::kTruncate);
  return cp.ok() ? Status::Ok() : cp.status();
}

}  // namespace

Status MigrateSchema(SqliteDb& db, int64_t to, int64_t move_batches, bool may_move) {
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) {
    return Status(Code::kInternal, "database " + db.path() + " has schema version " +
                                       std::to_string(*version) + ", newer than this pasted (" +
                                       std::to_string(kSchemaVersion) +
                                       "); upgrade pasted or use another data dir");
  }
  // A new file (version 0) has nothing to move, and no pasted serves it.
  if (*version == 0) may_move = true;
  // Both the move (11) and keyed links (12) change what an older pasted
  // serving the file reads: its lookups by link would scan the table.
  const int64_t target = std::min<int64_t>(to, kSchemaVersion);
  if (!may_move && *version < target && target >= 11) {
    auto stopped = MoveUnfinished(db);
    if (!stopped.ok()) return stopped.status();
    return MoveNotHere(db, *stopped ? "its move to storage v3 was stopped midway"
                                    : "it has schema version " + std::to_string(*version));
  }
  auto migrate = [&](int64_t from, int64_t until) -> Status {
    for (int64_t v = from; v < std::min<int64_t>(until, kSchemaVersion); ++v) {
      Status s = RunIn(db, [&]() -> Status {
        Status step = db.Exec(kMigrations[v]);
        if (step.ok() &&
            std::count(std::begin(kEditsSchemaText), std::end(kEditsSchemaText), v + 1)) {
          auto schema = db.QueryInt("PRAGMA schema_version");
          step = schema.ok()
                     ? db.Exec("PRAGMA schema_version = " + std::to_string(*schema + 1) + ";")
                     : schema.status();
        }
        return step.ok() ? db.Exec("PRAGMA user_version = " + std::to_string(v + 1) + ";") : step;
      });
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
  Status s = migrate(*version, std::min<int64_t>(to, 11));
  if (!s.ok() || to < 11) return s;
  // Version 11 is set when its move begins: an older pasted refuses the
  // file from then on, and every start finishes what is left. The steps
  // after it change the table the move makes.
  s = MoveToStorageV3(db, move_batches, may_move);
  if (!s.ok()) return s;
  auto moving = MoveUnfinished(db);
  if (!moving.ok()) return moving.status();
  if (*moving > 0) return Status::Ok();  // stopped midway (move_batches): the next start
  return migrate(std::max<int64_t>(*version, 11), to);
}

}  // namespace pastebin
