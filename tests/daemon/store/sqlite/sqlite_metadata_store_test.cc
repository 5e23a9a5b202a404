#include "daemon/store/sqlite/sqlite_metadata_store.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/shortlink.h"
#include "daemon/base/loop_watch.h"
#include "daemon/store/link_cipher.h"
#include "daemon/store/sqlite/schema.h"
#include "tests/support/page_cache.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_loop.h"

namespace pastebin {
namespace {

using testing::Evict;
using testing::IoUringAvailable;
using testing::ResidentPages;
using testing::TempDir;
using testing::TestLoop;

PasteRecord Record(const std::string& link) {
  PasteRecord r;
  r.shortlink = link;
  r.created_at = 1700000000;
  r.expiration_length_in_minutes = 60;
  r.expires_at = 1700003600;
  r.paste_path = "content/a/bc/abc";
  r.size = 5;
  r.delete_token_hash = "hash";
  return r;
}

TEST_CASE("metadata rows round-trip") {
  TempDir dir;
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  REQUIRE((*store)->Insert(Record("Ab3dE9x")).ok());
  PasteRecord never = Record("Zz9yY8x");
  never.expiration_length_in_minutes = 0;
  never.expires_at.reset();
  REQUIRE((*store)->Insert(never).ok());

  auto got = (*store)->Get("Ab3dE9x");
  REQUIRE(got.ok());
  CHECK(got->created_at == 1700000000);
  CHECK(got->expiration_length_in_minutes == 60);
  CHECK(got->expires_at == 1700003600);
  CHECK(got->paste_path == "content/a/bc/abc");
  CHECK(got->size == 5);
  CHECK(got->delete_token_hash == "hash");
  auto got_never = (*store)->Get("Zz9yY8x");
  REQUIRE(got_never.ok());
  CHECK_FALSE(got_never->expires_at.has_value());
}

TEST_CASE("a lookup without waiting answers from memory and refuses to wait for the disk") {
  TempDir dir;
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  PasteRecord inline_paste = Record("Ab3dE9x");
  inline_paste.paste_path.clear();
  inline_paste.inline_body = "hello";
  REQUIRE((*store)->Insert(inline_paste).ok());
  REQUIRE((*store)->Insert(Record("Zz9yY8x")).ok());

  // Just written: in the page cache.
  auto warm = (*store)->GetWithoutWaiting("Ab3dE9x");
  REQUIRE(warm.ok());
  CHECK(warm->inline_body == "hello");
  CHECK((*store)->GetWithoutWaiting("Nn0pQ1r").status().code() == Code::kNotFound);

  // A write makes readers read again; then nothing of the files is in memory.
  REQUIRE((*store)->Insert(Record("Cc4dE5f")).ok());
  if (!Evict(dir / "pastes.db") || !Evict(dir / "pastes.db-wal")) {
    WARN("the page cache keeps these files: the no-wait path cannot be seen here");
    return;
  }
  auto cold = (*store)->GetWithoutWaiting("Ab3dE9x");
  CHECK(cold.status().code() == Code::kWouldBlock);

  // A worker's lookup waits for the disk, and brings the pages in.
  auto read = (*store)->Get("Ab3dE9x");
  REQUIRE(read.ok());
  CHECK(read->inline_body == "hello");
  auto again = (*store)->GetWithoutWaiting("Ab3dE9x");
  REQUIRE(again.ok());
  CHECK(again->inline_body == "hello");
  CHECK((*store)->GetWithoutWaiting("Zz9yY8x")->paste_path == "content/a/bc/abc");
}

// A store of n pastes with 1 KiB bodies in their rows ("Pg00000" on),
// closed (its WAL checkpointed into pastes.db) and opened again, its
// readers made: the links.
std::vector<std::string> StoreOfPastes(const std::string& path, int n,
                                       std::unique_ptr<SqliteMetadataStore>* out) {
  std::vector<std::string> links;
  {
    auto store = SqliteMetadataStore::Open(path);
    REQUIRE(store.ok());
    std::vector<PasteRecord> rows;
    for (int i = 0; i < n; ++i) {
      char link[16];
      snprintf(link, sizeof(link), "Pg%05d", i);
      PasteRecord r = Record(link);
      r.paste_path.clear();
      r.inline_body = std::string(1024, static_cast<char>('a' + i % 26));
      rows.push_back(r);
      links.push_back(link);
    }
    std::vector<const PasteRecord*> batch;
    for (const PasteRecord& r : rows) batch.push_back(&r);
    for (const Status& s : (*store)->InsertBatch(batch)) REQUIRE(s.ok());
  }
  auto store = SqliteMetadataStore::Open(path);
  REQUIRE(store.ok());
  REQUIRE((*store)->GetWithoutWaiting(links[0]).ok());  // the no-wait readers made
  (*store)->ReleaseReads(/*busy=*/false);
  *out = std::move(store).value();
  return links;
}

TEST_CASE("lookups from the disk read their pages, not the file around them") {
  TempDir dir;
  // A thousand pastes with bodies of 1 KiB in the file: some 350 pages.
  std::unique_ptr<SqliteMetadataStore> store;
  std::vector<std::string> links = StoreOfPastes(dir / "pastes.db", 1000, &store);
  REQUIRE(store->Get(links[999]).ok());  // the readers open, the schema read
  if (!Evict(dir / "pastes.db")) {
    WARN("the page cache keeps this file: what a read brings in cannot be seen here");
    return;
  }
  // Workers' lookups of the first 200 pastes, whose rows and bodies lie
  // one after another: about 70 pages of bodies and a few of rows. Seeing
  // pages read in order, the kernel would read ahead of them (on this
  // machine, without the readers' advice: 248 and 313 pages in two runs).
  for (int i = 0; i < 200; ++i) {
    auto got = store->Get(links[i]);
    REQUIRE(got.ok());
    CHECK(got->inline_body == std::string(1024, static_cast<char>('a' + i % 26)));
  }
  size_t pages = ResidentPages(dir / "pastes.db");
  CHECK(pages >= 60);
  CHECK(pages <= 100);
}

TEST_CASE("an event loop's lookup of a paste on the disk reads its pages in, with no reader") {
  TempDir dir;
  std::unique_ptr<SqliteMetadataStore> store;
  std::vector<std::string> links = StoreOfPastes(dir / "pastes.db", 1000, &store);
  TestLoop loop;
  if (!Evict(dir / "pastes.db")) {
    WARN("the page cache keeps this file: the loop's reads cannot be seen here");
    return;
  }
  // Missed, as before: the pages are on the disk.
  const std::string& link = links[700];
  REQUIRE(store->GetWithoutWaiting(link).status().code() == Code::kWouldBlock);
  std::optional<Result<PasteRecord>> answer;
  std::thread::id answered_on;
  bool later = store->GetLater(link, [&](Result<PasteRecord> row) {
    answer = std::move(row);
    answered_on = std::this_thread::get_id();
  });
  if (!IoUringAvailable()) {
    CHECK_FALSE(later);
    WARN("io_uring cannot be had here: lookups from the disk go to readers");
    return;
  }
  REQUIRE(later);
  CHECK_FALSE(answer.has_value());  // not before its page is in
  REQUIRE(loop.RunUntil([&] { return answer.has_value(); }));
  // On the loop's thread, the row whole; its pages read in by io_uring
  // (the tree's levels, then the row's own: a read each at most).
  CHECK(answered_on == std::this_thread::get_id());
  REQUIRE(answer->ok());
  CHECK((*answer)->shortlink == link);
  CHECK((*answer)->inline_body == std::string(1024, static_cast<char>('a' + 700 % 26)));
  CHECK(store->PageFetches()->lookups == 1);
  CHECK(store->PageFetches()->pages >= 1);
  CHECK(store->PageFetches()->pages <= SqliteMetadataStore::kFetchesALookup);
  // Now in memory: answered at once.
  CHECK(store->GetWithoutWaiting(link).ok());
  store->ReleaseReads(/*busy=*/false);
}

TEST_CASE("a lookup that missed no page, or off a loop, is not kept for later") {
  TempDir dir;
  std::unique_ptr<SqliteMetadataStore> store;
  std::vector<std::string> links = StoreOfPastes(dir / "pastes.db", 10, &store);
  bool called = false;
  auto done = [&](Result<PasteRecord>) { called = true; };
  // No loop on this thread: a reader's job.
  if (Evict(dir / "pastes.db")) {
    REQUIRE(store->GetWithoutWaiting(links[3]).status().code() == Code::kWouldBlock);
    CHECK_FALSE(store->GetLater(links[3], done));
  }
  REQUIRE(store->Get(links[3]).ok());  // a reader's: the pages in again
  TestLoop loop;
  // The last lookup found its pages: nothing to read in for it (a paste
  // whose body is a file comes this way).
  REQUIRE(store->GetWithoutWaiting(links[3]).ok());
  CHECK_FALSE(store->GetLater(links[3], done));
  store->ReleaseReads(/*busy=*/false);
  loop.RunRound();
  CHECK_FALSE(called);
}

TEST_CASE("a loop that stops with a lookup's page still on its way answers it unavailable") {
  TempDir dir;
  std::unique_ptr<SqliteMetadataStore> store;
  std::vector<std::string> links = StoreOfPastes(dir / "pastes.db", 1000, &store);
  std::optional<Result<PasteRecord>> answer;
  {
    TestLoop loop;
    if (!Evict(dir / "pastes.db")) {
      WARN("the page cache keeps this file: the loop's reads cannot be seen here");
      return;
    }
    REQUIRE(store->GetWithoutWaiting(links[500]).status().code() == Code::kWouldBlock);
    if (!IoUringAvailable()) return;
    REQUIRE(store->GetLater(links[500], [&](Result<PasteRecord> row) { answer = std::move(row); }));
  }  // stopped before a round: its read finishes, then the lookup is told
  REQUIRE(answer.has_value());
  CHECK(answer->status().code() == Code::kUnavailable);
  // The store goes on: a reader's lookup finds the paste.
  CHECK(store->Get(links[500]).ok());
}

TEST_CASE("inserting a taken shortlink is a conflict and changes nothing") {
  TempDir dir;
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  REQUIRE((*store)->Insert(Record("Ab3dE9x")).ok());
  PasteRecord other = Record("Ab3dE9x");
  other.paste_path = "content/x/yz/other";
  Status s = (*store)->Insert(other);
  CHECK(s.code() == Code::kConflict);
  CHECK((*store)->Get("Ab3dE9x")->paste_path == "content/a/bc/abc");
}

TEST_CASE("unknown shortlinks are not found") {
  TempDir dir;
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  CHECK((*store)->Get("Nope000").status().code() == Code::kNotFound);
}

TEST_CASE("rows survive reopening the database") {
  TempDir dir;
  {
    auto store = SqliteMetadataStore::Open(dir / "pastes.db");
    REQUIRE(store.ok());
    REQUIRE((*store)->Insert(Record("Ab3dE9x")).ok());
  }
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  CHECK((*store)->Get("Ab3dE9x").ok());
}

TEST_CASE("the database uses WAL, the schema version and the indexes") {
  TempDir dir;
  { REQUIRE(SqliteMetadataStore::Open(dir / "pastes.db").ok()); }
  auto db = SqliteDb::Open(dir / "pastes.db", false);
  REQUIRE(db.ok());
  CHECK(*(*db)->QueryInt("PRAGMA user_version") == kSchemaVersion);
  auto mode = (*db)->Prepare("PRAGMA journal_mode");
  REQUIRE(mode.ok());
  REQUIRE(*(*mode)->Next() == SqliteStmt::Step::kRow);
  CHECK((*mode)->Text(0) == "wal");
  // Only the indexes reads need: each one more costs a page per paste.
  // (pastes_shortlink finds a row by its link.)
  auto indexes = (*db)->Prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
  REQUIRE(indexes.ok());
  std::vector<std::string> names;
  while (*(*indexes)->Next() == SqliteStmt::Step::kRow) names.push_back((*indexes)->Text(0));
  // (monthly_visits_link serves stats LINK: a row per paste and month
  // visited, written at rollup, not per paste.)
  CHECK(names == std::vector<std::string>{"monthly_visits_link", "monthly_visits_rank",
                                          "pastes_expires_at", "pastes_paste_path",
                                          "pastes_shortlink"});
  CHECK(*(*db)->QueryInt("PRAGMA auto_vacuum") == 0);
}

TEST_CASE("a database from a newer pasted is refused") {
  TempDir dir;
  {
    auto db = SqliteDb::Open(dir / "pastes.db", true);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("PRAGMA user_version = 99").ok());
  }
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().message() ==
        "database " + (dir / "pastes.db") + " has schema version 99, newer than this pasted (" +
            std::to_string(kSchemaVersion) + "); upgrade pasted or use another data dir");
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

// A pastes.db at path as version 10 (storage v2) left it, with sql run in
// it: rows keyed by link, small bodies in the bodies table.
void MakeVersion10(const std::string& path, const std::string& sql) {
  auto db = SqliteDb::Open(path, true);
  REQUIRE(db.ok());
  REQUIRE(MigrateSchema(**db, 10).ok());
  REQUIRE((*db)->Exec(sql).ok());
}

// What PRAGMA integrity_check says of db ("ok" when nothing is wrong).
std::string IntegrityCheck(SqliteDb& db) {
  auto check = db.Prepare("PRAGMA integrity_check");
  if (!check.ok()) return check.status().message();
  auto step = (*check)->Next();
  if (!step.ok()) return step.status().message();
  return (*check)->Text(0);
}

TEST_CASE("a version 1 database is migrated and keeps its rows") {
  testing::TempDir dir;
  {
    // The schema as release 1 wrote it.
    auto db = SqliteDb::Open(dir / "pastes.db", true);
    REQUIRE(db.ok());
    REQUIRE((*db)
                ->Exec(R"sql(
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
CREATE INDEX pastes_expires_at ON pastes (expires_at) WHERE expires_at IS NOT NULL;
INSERT INTO pastes VALUES ('Old0001', 0, 1600000000, NULL, 'content/a/bc/abc', 3, 'h');
PRAGMA user_version = 1;
)sql")
                .ok());
  }
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  CHECK((*store)->Get("Old0001")->created_at == 1600000000);
  auto paths = (*store)->PastePathsWithPrefix("content/a/bc/");
  REQUIRE(paths.ok());
  CHECK(paths->count("content/a/bc/abc") == 1);
  auto db = SqliteDb::Open(dir / "pastes.db", false);
  CHECK(*(*db)->QueryInt("PRAGMA user_version") == kSchemaVersion);
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = "
                         "'pastes_paste_path'") == 1);
  // Migrated, it takes the longer links of link_length, and still checks.
  PasteRecord longer;
  longer.shortlink = "Ab3dE9xYz0";
  longer.created_at = 1700000000;
  longer.inline_body = "x";
  longer.size = 1;
  longer.delete_token_hash = "h";
  CHECK((*store)->Insert(longer).ok());
  CHECK((*store)->Get("Ab3dE9xYz0")->created_at == 1700000000);
  longer.shortlink = "TooLong0123456789";  // 17
  CHECK_FALSE((*store)->Insert(longer).ok());
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM pastes") == 2);
  CHECK(IntegrityCheck(**db) == "ok");
}

TEST_CASE("a version 10 database, bodies in a table of their own, keeps every paste in v3") {
  testing::TempDir dir;
  // Storage v2 as version 10 wrote it, the totals kept by triggers.
  MakeVersion10(dir / "pastes.db", R"sql(
INSERT INTO bodies (id, data) VALUES (7, x'00016869'), (9, x''), (11, x'78');
INSERT INTO pastes (shortlink, expiration_length_in_minutes, created_at, expires_at,
    paste_path, size, delete_token_hash, link_target, body_id, codec, stored_size,
    content_hash, burn, lang)
  VALUES ('Inline1', 10, 1700000000, 1700000600, '', 4, 'h1', NULL, 7, 1, 4, x'0102', 1, 'c'),
         ('Empty01', 0, 1700000001, NULL, '', 0, 'h2', NULL, 9, 0, NULL, NULL, 0, NULL),
         ('File001', 0, 1700000002, NULL, 'content/a/bc/abc', 5000, 'h3', NULL, NULL, 0, 4000,
          NULL, 0, NULL),
         ('Link001', 0, 1700000003, NULL, '', 19, 'h4', 'https://example.org', NULL, 0, NULL,
          NULL, 0, NULL),
         ('Short6', 0, 1700000004, NULL, '', 1, 'h5', NULL, 11, 0, NULL, NULL, 0, NULL);
)sql");
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  auto inline1 = (*store)->Get("Inline1");
  REQUIRE(inline1.ok());
  CHECK(inline1->inline_body == std::string("\0\1hi", 4));
  CHECK(inline1->expires_at == 1700000600);
  CHECK(inline1->expiration_length_in_minutes == 10);
  CHECK(inline1->codec == BodyCodec::kZstd);
  CHECK(inline1->content_hash == "\1\2");
  CHECK(inline1->burn_after_reading);
  CHECK(inline1->language == "c");
  CHECK(inline1->delete_token_hash == "h1");
  CHECK((*store)->Get("Empty01")->inline_body.empty());
  auto file = (*store)->Get("File001");
  REQUIRE(file.ok());
  CHECK(file->paste_path == "content/a/bc/abc");
  CHECK(file->stored_size == 4000);
  CHECK((*store)->Get("Link001")->link_target == "https://example.org");
  CHECK((*store)->Get("Short6")->inline_body == "x");
  auto totals = (*store)->Totals();
  REQUIRE(totals.ok());
  CHECK(totals->pastes == 5);
  CHECK(totals->bytes == 4 + 0 + 5000 + 19 + 1);
  CHECK(totals->stored_bytes == 4 + 0 + 4000 + 19 + 1);

  auto db = SqliteDb::Open(dir / "pastes.db", false);
  REQUIRE(db.ok());
  CHECK(*(*db)->QueryInt("PRAGMA user_version") == kSchemaVersion);
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'bodies'") == 0);
  // Bodies are columns of their rows now: inline ones (the empty one too)
  // are blobs, the file's and the link's NULL.
  CHECK(*(*db)->QueryInt("SELECT count(body) FROM pastes") == 3);
  // Found by the link's unique index, the expiry and file indexes kept.
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
                         " ('pastes_shortlink', 'pastes_expires_at', 'pastes_paste_path')") == 3);
  // The links made before version 12 are in it (and only those: keyed = 0).
  auto plan = (*db)->Prepare(
      "EXPLAIN QUERY PLAN SELECT body FROM pastes WHERE shortlink = 'x' AND keyed = 0");
  REQUIRE(plan.ok());
  REQUIRE(*(*plan)->Next() == SqliteStmt::Step::kRow);
  CHECK((*plan)->Text(3).find("USING INDEX pastes_shortlink") != std::string::npos);
  PasteRecord taken;
  taken.shortlink = "Inline1";
  taken.created_at = 1;
  taken.delete_token_hash = "h";
  CHECK((*store)->Insert(taken).code() == Code::kConflict);
  taken.shortlink = "TooLong0123456789";  // 17: the length check came along
  CHECK_FALSE((*store)->Insert(taken).ok());
  // Expiry, delete and totals work on the new table.
  auto expired = (*store)->DeleteExpired(1700000600, 10);
  REQUIRE(expired.ok());
  REQUIRE(expired->size() == 1);
  CHECK((*expired)[0].shortlink == "Inline1");
  REQUIRE((*store)->Delete("Empty01").ok());
  CHECK((*store)->Get("Empty01").status().code() == Code::kNotFound);
  CHECK((*store)->Totals()->pastes == 3);
  CHECK((*store)->Totals()->stored_bytes == 4000 + 19 + 1);
  CHECK(IntegrityCheck(**db) == "ok");
}

TEST_CASE("a move to storage v3 stopped midway goes on at the next start, in place") {
  testing::TempDir dir;
  constexpr int64_t kPastes = 45000;  // four and a half batches
  std::string sample;
  int64_t pages_before = 0;
  {
    auto db = SqliteDb::Open(dir / "pastes.db", true);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("PRAGMA journal_mode = WAL;").ok());
    REQUIRE(MigrateSchema(**db, 10).ok());
    REQUIRE((*db)
                ->Exec(R"sql(
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 45000)
  INSERT INTO bodies (id, data) SELECT i, randomblob(400) FROM n;
INSERT INTO pastes (shortlink, created_at, paste_path, size, delete_token_hash, body_id)
  SELECT printf('L%06d', id), 1700000000 + id, '', 400, 'h', id FROM bodies;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
)sql")
                .ok());
    {
      auto body = (*db)->Prepare("SELECT data FROM bodies WHERE id = 12345");
      REQUIRE(body.ok());
      REQUIRE(*(*body)->Next() == SqliteStmt::Step::kRow);
      sample = (*body)->Blob(0);
    }
    pages_before = *(*db)->QueryInt("PRAGMA page_count");
    // A start stopped after one batch.
    Status moved = MigrateSchema(**db, kSchemaVersion, /*move_batches=*/1);
    INFO(moved.message());
    REQUIRE(moved.ok());
    // Version 11 from the first batch on: an older pasted refuses the file
    // (a newer version) rather than serve the rows not moved yet.
    CHECK(*(*db)->QueryInt("PRAGMA user_version") == 11);
    CHECK(*(*db)->QueryInt("SELECT count(*) FROM pastes_v11") == kMoveBatch);
    CHECK(*(*db)->QueryInt("SELECT count(*) FROM pastes") == kPastes - kMoveBatch);
    CHECK(*(*db)->QueryInt("SELECT count(*) FROM bodies") == kPastes - kMoveBatch);
    CHECK(*(*db)->QueryInt("SELECT pastes FROM storage_totals") == kPastes);
  }
  // systemd hears how far the move is, and to wait, after each batch.
  int notify = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::string notify_path = dir / "notify.sock";
  strncpy(addr.sun_path, notify_path.c_str(), sizeof(addr.sun_path) - 1);
  REQUIRE(bind(notify, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  setenv("NOTIFY_SOCKET", notify_path.c_str(), 1);
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  unsetenv("NOTIFY_SOCKET");
  REQUIRE(store.ok());
  std::vector<std::string> told;
  char buf[512];
  for (ssize_t n; (n = recv(notify, buf, sizeof(buf), MSG_DONTWAIT)) > 0;) {
    told.emplace_back(buf, static_cast<size_t>(n));
  }
  close(notify);
  REQUIRE(told.size() >= 4);  // 35,000 left: four batches
  CHECK(told[0] ==
        "EXTEND_TIMEOUT_USEC=60000000\nSTATUS=moving pastes to storage v3: 10000 of 35000");
  CHECK(told.back() ==
        "EXTEND_TIMEOUT_USEC=60000000\nSTATUS=moving pastes to storage v3: 35000 of 35000");
  auto db = SqliteDb::Open(dir / "pastes.db", false);
  REQUIRE(db.ok());
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM pastes") == kPastes);
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE name IN"
                         " ('pastes_v11', 'bodies')") == 0);
  CHECK((*store)->Totals()->pastes == kPastes);
  CHECK((*store)->Get("L012345")->inline_body == sample);
  CHECK((*store)->Get("L000001")->created_at == 1700000001);
  CHECK((*store)->Get("L045000")->created_at == 1700045000);
  // Moved a batch at a time, the rows took the pages the old ones freed:
  // the file grew by about a batch, not to hold both tables at once (2x).
  CHECK(*(*db)->QueryInt("PRAGMA page_count") < pages_before * 3 / 2);
  CHECK(IntegrityCheck(**db) == "ok");
}

TEST_CASE("an opener without the data dir's lock leaves an older file's rows where they are") {
  testing::TempDir dir;
  MakeVersion10(dir / "pastes.db",
                "INSERT INTO bodies (id, data) VALUES (1, x'6869');"
                "INSERT INTO pastes (shortlink, created_at, paste_path, size,"
                " delete_token_hash, body_id) VALUES ('Older01', 1, '', 2, 'h', 1);");
  // pasted export or import while an older pasted may serve the file: the
  // move would change the tables under it.
  auto refused = SqliteMetadataStore::Open(dir / "pastes.db", WalCheckpointer::kDefaultLimit,
                                           /*may_move=*/false);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Code::kUnavailable);
  CHECK_THAT(refused.status().message(),
             Catch::Contains("it has schema version 10") && Catch::Contains("restart pasted"));
  {
    auto db = SqliteDb::Open(dir / "pastes.db", false);
    REQUIRE(db.ok());
    CHECK(*(*db)->QueryInt("PRAGMA user_version") == 10);
    CHECK(*(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'pastes_v11'") == 0);
  }
  // Nor does it finish a move a stopped start left.
  {
    auto db = SqliteDb::Open(dir / "pastes.db", false);
    REQUIRE(db.ok());
    REQUIRE(MigrateSchema(**db, kSchemaVersion, /*move_batches=*/0).ok());
    CHECK(*(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'pastes_v11'") == 1);
  }
  refused = SqliteMetadataStore::Open(dir / "pastes.db", WalCheckpointer::kDefaultLimit, false);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.status().message(),
             Catch::Contains("stopped midway") && Catch::Contains("restart pasted"));
  // A new file has nothing to move; pasted itself moves the older one.
  CHECK(SqliteMetadataStore::Open(dir / "new.db", WalCheckpointer::kDefaultLimit, false).ok());
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  CHECK((*store)->Get("Older01")->inline_body == "hi");
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

// A record for a new paste with a link the store made.
PasteRecord Keyed(const KeyedLink& link) {
  PasteRecord r = Record(link.shortlink);
  r.row_id = link.row_id;
  r.paste_path = "";
  r.inline_body = "body of " + link.shortlink;
  r.stored_size = r.size = static_cast<int64_t>(r.inline_body.size());
  return r;
}

// The store's own link cipher, from its file.
LinkCipher FileCipher(const std::string& path) {
  auto db = SqliteDb::Open(path, false);
  REQUIRE(db.ok());
  auto key = (*db)->Prepare("SELECT key FROM link_key");
  REQUIRE(key.ok());
  REQUIRE(*(*key)->Next() == SqliteStmt::Step::kRow);
  auto cipher = LinkCipher::Make((*key)->Blob(0));
  REQUIRE(cipher.ok());
  return std::move(cipher).value();
}

int64_t Count(const std::string& path, const std::string& sql) {
  auto db = SqliteDb::Open(path, false);
  REQUIRE(db.ok());
  auto n = (*db)->QueryInt(sql);
  REQUIRE(n.ok());
  return *n;
}

TEST_CASE("new pastes get keyed links: found by their row, outside the index, never reused") {
  TempDir dir;
  const std::string path = dir / "pastes.db";
  std::vector<KeyedLink> links;
  {
    auto store = SqliteMetadataStore::Open(path);
    REQUIRE(store.ok());
    for (int i = 0; i < 5; ++i) {
      auto link = (*store)->MakeLink(kShortlinkLength);
      REQUIRE(link.has_value());
      CHECK(link->shortlink.size() == kShortlinkLength);
      CHECK(IsValidShortlink(link->shortlink));
      if (!links.empty()) CHECK(link->row_id == links.back().row_id + 1);
      REQUIRE((*store)->Insert(Keyed(*link)).ok());
      links.push_back(*link);
    }
    CHECK((*store)->MakeLink(12)->shortlink.size() == 12);  // link_length
    for (const KeyedLink& l : links) {
      auto got = (*store)->Get(l.shortlink);
      REQUIRE(got.ok());
      CHECK(got->shortlink == l.shortlink);
      CHECK(got->inline_body == "body of " + l.shortlink);
      CHECK((*store)->GetWithoutWaiting(l.shortlink).ok());
    }
    // The last paste goes: its number is not given again.
    REQUIRE((*store)->Delete(links.back().shortlink).ok());
    CHECK((*store)->Get(links.back().shortlink).status().code() == Code::kNotFound);
  }
  CHECK(Count(path, "SELECT count(*) FROM pastes WHERE keyed = 1") == 4);
  // The index holds none of them.
  CHECK(Count(path, "SELECT count(*) FROM pastes INDEXED BY pastes_shortlink WHERE keyed = 0") ==
        0);
  auto store = SqliteMetadataStore::Open(path);
  REQUIRE(store.ok());
  for (size_t i = 0; i + 1 < links.size(); ++i) CHECK((*store)->Get(links[i].shortlink).ok());
  auto next = (*store)->MakeLink(kShortlinkLength);
  CHECK(next->row_id > links.back().row_id);
  CHECK(next->shortlink != links.back().shortlink);
  auto db = SqliteDb::Open(path, false);
  REQUIRE(db.ok());
  CHECK(IntegrityCheck(**db) == "ok");
}

// A TRUNCATE checkpoint of db's WAL that waits up to wait_ms for what is in
// its way. SQLite refuses one at once, without its busy handler, while
// another checkpoint runs (the store's own checkpointer, every few ms): that
// refusal is tried again; a reader in the way makes it wait wait_ms.
WalCheckpoint TruncateWithin(SqliteDb& db, int wait_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    db.SetBusyTimeout(static_cast<int>(std::max<int64_t>(left, 1)));
    auto done = db.Checkpoint(CheckpointMode::kTruncate);
    REQUIRE(done.ok());
    if (!done->busy || std::chrono::steady_clock::now() >= deadline) return *done;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TEST_CASE(
    "a thread's lookups without waiting share a read until its writer commits or it lets go") {
  TempDir dir;
  const std::string path = dir / "pastes.db";
  auto store = SqliteMetadataStore::Open(path);
  REQUIRE(store.ok());
  auto link = [&] { return *(*store)->MakeLink(kShortlinkLength); };
  const KeyedLink a = link();
  REQUIRE((*store)->Insert(Keyed(a)).ok());
  REQUIRE((*store)->GetWithoutWaiting(a.shortlink).ok());  // the read begins

  // Whatever this store committed before a lookup, the lookup sees: new
  // rows and deleted ones.
  const KeyedLink b = link();
  REQUIRE((*store)->Insert(Keyed(b)).ok());
  auto got = (*store)->GetWithoutWaiting(b.shortlink);
  REQUIRE(got.ok());
  CHECK(got->inline_body == "body of " + b.shortlink);
  REQUIRE((*store)->Delete(a.shortlink).ok());
  CHECK((*store)->GetWithoutWaiting(a.shortlink).status().code() == Code::kNotFound);

  // Another process's commit (pasted import beside a serving pasted): the
  // read the thread holds is older, so neither its rows nor a checkpoint
  // that empties the WAL can pass it ...
  {
    auto other = SqliteMetadataStore::Open(path, WalCheckpointer::kDefaultLimit,
                                           /*may_move=*/false);
    REQUIRE(other.ok());
    REQUIRE((*other)->Insert(Record("Imp0rt1")).ok());
  }
  CHECK((*store)->GetWithoutWaiting("Imp0rt1").status().code() == Code::kNotFound);
  auto checkpointer = SqliteDb::Open(path, false);
  REQUIRE(checkpointer.ok());
  REQUIRE((*checkpointer)->QueryInt("SELECT count(*) FROM pastes").ok());  // opens the WAL
  CHECK(TruncateWithin(**checkpointer, 200).busy);

  // ... until the thread lets it go (an event loop does after each round).
  (*store)->ReleaseReads(/*busy=*/false);
  WalCheckpoint done = TruncateWithin(**checkpointer, 10000);
  CHECK_FALSE(done.busy);
  CHECK(done.wal_frames == 0);
  got = (*store)->GetWithoutWaiting("Imp0rt1");
  REQUIRE(got.ok());
  CHECK(got->paste_path == "content/a/bc/abc");
  (*store)->ReleaseReads(/*busy=*/false);
  (*store)->ReleaseReads(/*busy=*/false);  // nothing held: nothing to do
  CHECK((*store)->GetWithoutWaiting(b.shortlink).ok());
}

// An event loop's stand-in for ReleaseReads: it is the thread's current
// loop and records how long the store asks it to wait at most.
class RoundsLoop : public LoopWatch {
 public:
  RoundsLoop() { SetCurrent(this); }
  ~RoundsLoop() override { SetCurrent(nullptr); }
  bool Watch(int, uint32_t, Ready) override { return false; }
  void Unwatch(int) override {}
  void EachRound(Round) override {}
  void RoundAgain() override {}
  void WaitAtMost(int ms) override { wait_ms = std::min(wait_ms, ms); }
  int wait_ms = 100;
};

// Whether a TRUNCATE checkpoint of path's WAL finds a reader in its way
// for wait_ms: briefly where a held read should block it, long where
// nothing should.
bool CheckpointBlocked(const std::string& path, int wait_ms) {
  auto db = SqliteDb::Open(path, false);
  REQUIRE(db.ok());
  REQUIRE((*db)->QueryInt("SELECT count(*) FROM pastes").ok());  // opens the WAL
  return TruncateWithin(**db, wait_ms).busy;
}

TEST_CASE("a busy event loop keeps its read a few rounds, an idle one lets it go") {
  TempDir dir;
  const std::string path = dir / "pastes.db";
  auto store = SqliteMetadataStore::Open(path);
  REQUIRE(store.ok());
  const KeyedLink a = *(*store)->MakeLink(kShortlinkLength);
  REQUIRE((*store)->Insert(Keyed(a)).ok());
  // A lookup begins the thread's read, then another process commits: the
  // read is older, so a checkpoint that starts the WAL over waits for it.
  // Returns the link that process inserted. That process stays open to the
  // end (its close would wait out its busy timeout for the held read).
  std::vector<std::unique_ptr<SqliteMetadataStore>> others;
  auto stale_read = [&] {
    REQUIRE((*store)->GetWithoutWaiting(a.shortlink).ok());
    auto other = SqliteMetadataStore::Open(path, WalCheckpointer::kDefaultLimit,
                                           /*may_move=*/false);
    REQUIRE(other.ok());
    const std::string link = "Imp0rt" + std::to_string(others.size());
    REQUIRE((*other)->Insert(Record(link)).ok());
    others.push_back(std::move(other).value());
    return link;
  };

  SECTION("busy rounds keep it, kHeldRounds of them at most") {
    RoundsLoop loop;
    const std::string imported = stale_read();
    for (int i = 1; i < SqliteMetadataStore::kHeldRounds; ++i) {
      loop.wait_ms = 100;
      (*store)->ReleaseReads(/*busy=*/true);
      CHECK(loop.wait_ms == SqliteMetadataStore::kHeldWaitMs);
    }
    CHECK((*store)->GetWithoutWaiting(imported).status().code() == Code::kNotFound);
    CHECK(CheckpointBlocked(path, 50));
    loop.wait_ms = 100;
    (*store)->ReleaseReads(/*busy=*/true);  // the last round it may keep it
    CHECK(loop.wait_ms == 100);
    CHECK_FALSE(CheckpointBlocked(path, 10000));
    CHECK((*store)->GetWithoutWaiting(imported).ok());
  }
  SECTION("a round that found nothing to do lets it go") {
    RoundsLoop loop;
    const std::string imported = stale_read();
    (*store)->ReleaseReads(/*busy=*/true);
    CHECK(CheckpointBlocked(path, 50));
    loop.wait_ms = 100;
    (*store)->ReleaseReads(/*busy=*/false);
    CHECK(loop.wait_ms == 100);
    CHECK_FALSE(CheckpointBlocked(path, 10000));
    CHECK((*store)->GetWithoutWaiting(imported).ok());
  }
  SECTION("a commit of its own writer's lets it go at the round's end") {
    RoundsLoop loop;
    REQUIRE((*store)->GetWithoutWaiting(a.shortlink).ok());
    const KeyedLink b = *(*store)->MakeLink(kShortlinkLength);
    REQUIRE((*store)->Insert(Keyed(b)).ok());
    (*store)->ReleaseReads(/*busy=*/true);
    CHECK(loop.wait_ms == 100);
    CHECK_FALSE(CheckpointBlocked(path, 10000));
    CHECK((*store)->GetWithoutWaiting(b.shortlink).ok());
  }
  SECTION("a thread that is no event loop has nobody to come back: it lets it go") {
    stale_read();
    (*store)->ReleaseReads(/*busy=*/true);
    CHECK_FALSE(CheckpointBlocked(path, 10000));
  }
}

TEST_CASE("a thread that keeps its read between lookups lets the WAL start over within its limit") {
  // An event loop that never waits between rounds of requests: it never
  // lets its read go, and looks up between the writer's commits.
  TempDir dir;
  const std::string path = dir / "pastes.db";
  const int64_t limit = 1 << 20;
  auto store = SqliteMetadataStore::Open(path, limit);
  REQUIRE(store.ok());
  const KeyedLink first = *(*store)->MakeLink(kShortlinkLength);
  REQUIRE((*store)->Insert(Keyed(first)).ok());
  std::string noise;
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 3000; ++i) {  // xorshift: a body that does not compress
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    noise += static_cast<char>(x);
  }
  int64_t largest = 0;
  for (int i = 0; i < 600; ++i) {  // a page or more a commit: 3 MB of WAL and more
    PasteRecord r = Keyed(*(*store)->MakeLink(kShortlinkLength));
    r.inline_body = noise;
    r.stored_size = r.size = static_cast<int64_t>(noise.size());
    REQUIRE((*store)->Insert(r).ok());
    REQUIRE((*store)->GetWithoutWaiting(first.shortlink).ok());
    struct stat st;
    if (stat((path + "-wal").c_str(), &st) == 0) largest = std::max<int64_t>(largest, st.st_size);
  }
  INFO("the WAL reached " << largest << " bytes");
  CHECK(largest <= limit);
}

TEST_CASE("keyed links and links brought in share one namespace") {
  TempDir dir;
  const std::string path = dir / "pastes.db";
  auto store = SqliteMetadataStore::Open(path);
  REQUIRE(store.ok());
  auto first = (*store)->MakeLink(kShortlinkLength);
  REQUIRE((*store)->Insert(Keyed(*first)).ok());
  // Brought in (pasted import): a link some row has is taken, keyed or not.
  CHECK((*store)->Insert(Record(first->shortlink)).code() == Code::kConflict);
  REQUIRE((*store)->Insert(Record("abc-de")).ok());  // wastebin's, 6 characters
  CHECK((*store)->Insert(Record("abc-de")).code() == Code::kConflict);
  CHECK((*store)->Get("abc-de")->paste_path == "content/a/bc/abc");

  // A link brought in that the cipher makes of a later number: that number's
  // paste is refused (PasteService then asks for another link).
  const LinkCipher cipher = FileCipher(path);
  const int64_t later = first->row_id + 10;
  const std::string clash = cipher.LinkOf(static_cast<uint64_t>(later), kShortlinkLength);
  REQUIRE((*store)->Insert(Record(clash)).ok());
  std::optional<KeyedLink> made;
  do {
    made = (*store)->MakeLink(kShortlinkLength);
    REQUIRE(made->row_id <= later);
  } while (made->row_id != later);
  CHECK(made->shortlink == clash);
  CHECK((*store)->Insert(Keyed(*made)).code() == Code::kConflict);
  auto again = (*store)->MakeLink(kShortlinkLength);
  REQUIRE((*store)->Insert(Keyed(*again)).ok());
  CHECK((*store)->Get(clash)->paste_path == "content/a/bc/abc");  // still the one brought in
  CHECK((*store)->Get(again->shortlink)->inline_body == "body of " + again->shortlink);
  // Deleting by link deletes that row alone.
  REQUIRE((*store)->Delete(clash).ok());
  CHECK((*store)->Get(clash).status().code() == Code::kNotFound);
  CHECK((*store)->Get(again->shortlink).ok());
  CHECK((*store)->Get(first->shortlink).ok());
  // A link of the alphabet no row has: not found, whatever number it maps to.
  CHECK((*store)->Get("Zq9Zq9Z").status().code() == Code::kNotFound);
}

TEST_CASE("pasted export walks keyed links and links brought in, in link order") {
  TempDir dir;
  auto store = SqliteMetadataStore::Open(dir / "pastes.db");
  REQUIRE(store.ok());
  std::vector<std::string> all = {"Older01", "abc-de", "zzzzzz9"};
  for (const std::string& link : all) REQUIRE((*store)->Insert(Record(link)).ok());
  for (int i = 0; i < 6; ++i) {
    auto link = (*store)->MakeLink(kShortlinkLength);
    REQUIRE((*store)->Insert(Keyed(*link)).ok());
    all.push_back(link->shortlink);
  }
  std::sort(all.begin(), all.end());
  std::vector<std::string> walked;
  std::string after;
  for (;;) {
    auto page = (*store)->RowsAfter(after, 2);
    REQUIRE(page.ok());
    if (page->empty()) break;
    for (const PasteRecord& r : *page) walked.push_back(r.shortlink);
    after = page->back().shortlink;
    // A paste made during the walk is not in it; one deleted is left out.
    if (walked.size() == 2) {
      auto link = (*store)->MakeLink(kShortlinkLength);
      REQUIRE((*store)->Insert(Keyed(*link)).ok());
      REQUIRE((*store)->Delete(all.back()).ok());
    }
  }
  all.pop_back();
  CHECK(walked == all);
  // A new walk starts from every link there is now.
  auto first = (*store)->RowsAfter("", 100);
  REQUIRE(first.ok());
  CHECK(first->size() == all.size() + 1);
  CHECK((*first)[0].inline_body.empty() == ((*first)[0].paste_path != ""));
}

TEST_CASE("a version 11 database keeps its links in a partial index, and new ones are keyed") {
  TempDir dir;
  const std::string path = dir / "pastes.db";
  {
    auto db = SqliteDb::Open(path, true);
    REQUIRE(db.ok());
    REQUIRE(MigrateSchema(**db, 11).ok());
    REQUIRE((*db)
                ->Exec("INSERT INTO pastes (id, shortlink, created_at, paste_path, size,"
                       " delete_token_hash, body) VALUES (7, 'Older01', 1, '', 2, 'h', x'6869'),"
                       " (8, 'Older02', 1, '', 2, 'h', x'686f')")
                .ok());
  }
  // Not by an opener without the lock: an older pasted may serve the file.
  auto refused = SqliteMetadataStore::Open(path, WalCheckpointer::kDefaultLimit, false);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.status().message(),
             Catch::Contains("it has schema version 11") && Catch::Contains("restart pasted"));
  auto store = SqliteMetadataStore::Open(path);
  REQUIRE(store.ok());
  CHECK((*store)->Get("Older01")->inline_body == "hi");
  CHECK((*store)->Get("Older02")->inline_body == "ho");
  auto link = (*store)->MakeLink(kShortlinkLength);
  CHECK(link->row_id == 9);  // past every row
  REQUIRE((*store)->Insert(Keyed(*link)).ok());
  CHECK((*store)->Insert(Record("Older01")).code() == Code::kConflict);

  auto db = SqliteDb::Open(path, false);
  REQUIRE(db.ok());
  CHECK(*(*db)->QueryInt("PRAGMA user_version") == 12);
  CHECK(IntegrityCheck(**db) == "ok");
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'pastes_shortlink'"
                         " AND sql LIKE '%WHERE keyed = 0'") == 1);
  CHECK(*(*db)->QueryInt("SELECT length(key) FROM link_key") == 16);
  CHECK(Count(path, "SELECT count(*) FROM pastes INDEXED BY pastes_shortlink WHERE keyed = 0") ==
        2);
  // A lookup reads the row by its number, or the index: never the table.
  auto plan = (*db)->Prepare(
      "EXPLAIN QUERY PLAN SELECT body FROM pastes WHERE id = coalesce((SELECT id FROM pastes"
      " WHERE id = 9 AND shortlink = 'x'), (SELECT id FROM pastes WHERE shortlink = 'x' AND"
      " keyed = 0))");
  REQUIRE(plan.ok());
  std::string steps;
  while (*(*plan)->Next() == SqliteStmt::Step::kRow) steps += (*plan)->Text(3) + "\n";
  CHECK(steps.find("SCAN") == std::string::npos);
  CHECK(steps.find("pastes_shortlink") != std::string::npos);
}

}  // namespace
}  // namespace pastebin
