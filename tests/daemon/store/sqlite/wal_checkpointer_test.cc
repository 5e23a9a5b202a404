#include "daemon/store/sqlite/wal_checkpointer.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "daemon/store/sqlite/sqlite.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

using testing::TempDir;

// A writer as the metadata store runs it: WAL mode, no autocheckpoint, the
// checkpointer watching its commits and restarting after them when due.
struct Writer {
  std::unique_ptr<SqliteDb> db;
  std::unique_ptr<WalCheckpointer> checkpointer;
  std::unique_ptr<SqliteStmt> insert;
  int next = 0;

  Writer(const std::string& path, int64_t limit) {
    auto opened = SqliteDb::Open(path, /*create=*/true);
    REQUIRE(opened.ok());
    db = std::move(opened).value();
    REQUIRE(db->Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                     " PRAGMA wal_autocheckpoint = 0;"
                     " CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL);")
                .ok());
    auto started = WalCheckpointer::Start(path, limit);
    REQUIRE(started.ok());
    checkpointer = std::move(started).value();
    checkpointer->Watch(*db);
    auto st = db->Prepare("INSERT INTO t (id, data) VALUES (?1, randomblob(3000))");
    REQUIRE(st.ok());
    insert = std::move(st).value();
  }
  ~Writer() {
    checkpointer.reset();  // before the connection it watches
  }

  // One transaction of `rows` rows of 3000 random bytes (a page each).
  void Commit(int rows) {
    REQUIRE(db->Exec("BEGIN").ok());
    for (int i = 0; i < rows; ++i) {
      insert->BindInt(1, ++next);
      auto done = insert->Next();
      REQUIRE(done.ok());
      insert->Reset();
    }
    REQUIRE(db->Exec("COMMIT").ok());
    checkpointer->RestartIfDue();
  }
};

TEST_CASE("below half its limit the WAL is checkpointed without syncing the database") {
  TempDir dir;
  Writer w(dir / "t.db", 64 << 20);
  w.Commit(20);  // ~80 KiB of a 64 MiB bound
  auto runs = w.checkpointer->runs();
  for (int i = 0; i < 100 && w.checkpointer->runs() < runs + 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(WalCheckpointer::kIntervalMs / 4));
  }
  REQUIRE(w.checkpointer->runs() >= runs + 2);  // a passive ran after the commit
  CHECK(w.checkpointer->database_syncs() == 0);
  CHECK(w.checkpointer->restarts() == 0);
}

TEST_CASE("past half its limit the passives sync what they copied before the writer restarts") {
  TempDir dir;
  constexpr int64_t kLimit = 512 << 10;
  Writer w(dir / "t.db", kLimit);
  int64_t peak = 0;
  // Commits without pause, as under sustained writes: the restarts come
  // from the writer's thread once the passives have caught up.
  for (int i = 0; i < 400 && w.checkpointer->restarts() < 3; ++i) {
    w.Commit(4);
    peak = std::max(peak, testing::FileSize(dir / "t.db-wal"));
  }
  INFO("WAL peak " << peak << " bytes");
  CHECK(w.checkpointer->restarts() >= 3);
  CHECK(w.checkpointer->database_syncs() >= 1);
  CHECK(peak <= kLimit);
  auto rows = w.db->QueryInt("SELECT count(*) FROM t");
  REQUIRE(rows.ok());
  CHECK(*rows == w.next);
}

}  // namespace
}  // namespace pastebin
