#include "daemon/store/postgres/pg_schema.h"

#include <string>

namespace pastebin {
namespace {

// Migration i (0-based) takes the schema from version i to i + 1. Append
// new steps; never edit a released one.
const char* const kPgMigrations[] = {
    // 1: pastes with their bodies in one row (a paste is durable in one
    // commit, and replicas carry bodies too). codec and stored_size as in
    // SQLite (a body pasted already zstd-compressed by the service gains
    // nothing from TOAST, which then stores it as it is); raw bodies TOAST
    // compresses with lz4. Times are seconds since the epoch. Monthly
    // statistics as in SQLite, with each node's log cursor under its own
    // name.
    R"sql(
CREATE TABLE pastes (
  shortlink text PRIMARY KEY CHECK (length(shortlink) = 7),
  created_at bigint NOT NULL,
  expiration_length_in_minutes bigint NOT NULL DEFAULT 0,
  expires_at bigint,
  size bigint NOT NULL,
  codec smallint NOT NULL DEFAULT 0,
  stored_size bigint NOT NULL DEFAULT 0,
  content_hash bytea,
  delete_token_hash text NOT NULL,
  link_target text,
  body bytea
);
ALTER TABLE pastes ALTER COLUMN body SET COMPRESSION lz4;
CREATE INDEX pastes_expires_at ON pastes (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE monthly_visits (
  month text NOT NULL,
  shortlink text NOT NULL,
  visits bigint NOT NULL,
  PRIMARY KEY (month, shortlink)
);
CREATE INDEX monthly_visits_rank ON monthly_visits (month, visits DESC);
CREATE TABLE monthly_totals (
  month text PRIMARY KEY,
  total_visits bigint NOT NULL,
  pastes_visited bigint NOT NULL
);
CREATE TABLE log_cursors (
  node text NOT NULL,
  fingerprint text NOT NULL,
  path text NOT NULL,
  "offset" bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (node, fingerprint)
);
)sql",
    // 2: running totals of what the store holds, a row per node (each node
    // adds and takes off its own, so nodes never wait on one another's row),
    // started from what is there. (A node's inserts now add to a few rows
    // of its own in turn, node#1 and on: PgMetadataStore::InsertTotalsRow.)
    R"sql(
CREATE TABLE store_totals (
  node text PRIMARY KEY,
  pastes bigint NOT NULL,
  bytes_pasted bigint NOT NULL,
  bytes_stored bigint NOT NULL
);
INSERT INTO store_totals
  SELECT '', count(*), coalesce(sum(size), 0), coalesce(sum(stored_size), 0) FROM pastes;
)sql",
    // 3: burn after reading: a paste served once, deleted as it is read;
    // and one paste's visits by month, for its owner.
    R"sql(
ALTER TABLE pastes ADD COLUMN burn boolean NOT NULL DEFAULT false;
ALTER TABLE pastes ADD COLUMN lang text;
CREATE INDEX monthly_visits_link ON monthly_visits (shortlink, month);
)sql",
    // 4: links of 7 to 16 characters (link_length). Rows from before are
    // all 7: not checked again (NOT VALID), so no scan under the lock.
    R"sql(
ALTER TABLE pastes DROP CONSTRAINT pastes_shortlink_check;
ALTER TABLE pastes ADD CONSTRAINT pastes_shortlink_check
  CHECK (length(shortlink) BETWEEN 7 AND 16) NOT VALID;
)sql",
    // 5: links brought in from other pastebins keep their names (pasted
    // import): wastebin's oldest are 6 characters. Every row passes. And
    // links compare bytewise (collation "C", as in SQLite), whatever the
    // database's locale: pasted export walks them in the same order from
    // either store, on the primary key, and a comparison is a memcmp, not
    // a locale's. Only the indexes are rebuilt (the bytes stay).
    R"sql(
ALTER TABLE pastes DROP CONSTRAINT pastes_shortlink_check;
ALTER TABLE pastes ADD CONSTRAINT pastes_shortlink_check
  CHECK (length(shortlink) BETWEEN 6 AND 16) NOT VALID;
ALTER TABLE pastes ALTER COLUMN shortlink TYPE text COLLATE "C";
ALTER TABLE monthly_visits ALTER COLUMN shortlink TYPE text COLLATE "C";
ALTER TABLE monthly_visits ALTER COLUMN month TYPE text COLLATE "C";
)sql",
};
static_assert(sizeof(kPgMigrations) / sizeof(kPgMigrations[0]) == kPgSchemaVersion);

constexpr char kVersionTable[] =
    "CREATE TABLE IF NOT EXISTS pasted_schema ("
    " id int PRIMARY KEY CHECK (id = 1), version int NOT NULL);"
    " INSERT INTO pasted_schema VALUES (1, 0) ON CONFLICT DO NOTHING;";

}  // namespace

Result<int> PgSchemaVersion(PgConn& conn) {
  auto rows = conn.Query(
      "SELECT CASE WHEN to_regclass('pasted_schema') IS NULL THEN 0"
      " ELSE (SELECT version FROM pasted_schema WHERE id = 1) END");
  if (!rows.ok()) return rows.status();
  if (rows->empty() || !(*rows)[0][0]) return 0;
  return std::stoi(*(*rows)[0][0]);
}

Status MigratePgSchema(PgConn& conn) {
  for (;;) {
    // One step per transaction, under the lock: a node that waited finds
    // the step done and goes on to the next, or stops.
    Status s = conn.Exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kPgMigrationLock) +
                         "); " + kVersionTable);
    if (!s.ok()) {
      conn.Exec("ROLLBACK");
      return s;
    }
    auto version = PgSchemaVersion(conn);
    if (!version.ok()) {
      conn.Exec("ROLLBACK");
      return version.status();
    }
    if (*version > kPgSchemaVersion) {
      conn.Exec("ROLLBACK");
      return Status(Code::kInternal, "the PostgreSQL database has pasted schema version " +
                                         std::to_string(*version) + ", newer than this pasted (" +
                                         std::to_string(kPgSchemaVersion) +
                                         "); upgrade every node");
    }
    if (*version == kPgSchemaVersion) return conn.Exec("COMMIT");
    s = conn.Exec(std::string(kPgMigrations[*version]) + "UPDATE pasted_schema SET version = " +
                  std::to_string(*version + 1) + " WHERE id = 1; COMMIT;");
    if (!s.ok()) {
      conn.Exec("ROLLBACK");
      return s;
    }
  }
}

}  // namespace pastebin
