#include "daemon/store/sqlite/wal_checkpointer.h"

#include <fcntl.h>
#include <unistd.h>

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

  // One transaction of `rows` rows of 3000 random bytes (a page each),
  // then the restart if due.
  void Commit(int rows) {
    Insert(rows);
    checkpointer->RestartIfDue();
  }
  // The transaction alone.
  void Insert(int rows) {
    REQUIRE(db->Exec("BEGIN").ok());
    for (int i = 0; i < rows; ++i) {
      insert->BindInt(1, ++next);
      auto done = insert->Next();
      REQUIRE(done.ok());
      insert->Reset();
    }
    REQUIRE(db->Exec("COMMIT").ok());
  }
};

// What the process writes to stderr (the log) while one is alive.
class StderrCapture {
 public:
  explicit StderrCapture(const std::string& path) : path_(path) {
    fflush(stderr);
    saved_ = dup(2);
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    dup2(fd, 2);
    close(fd);
  }
  ~StderrCapture() { Restore(); }
  // Stops capturing; what was written.
  std::string Text() {
    Restore();
    return testing::ReadFile(path_);
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

// Another connection to the database at path (which the writer made).
std::unique_ptr<SqliteDb> OpenDb(const std::string& path) {
  auto opened = SqliteDb::Open(path, /*create=*/false);
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

// Another process's checkpoint, as pasted import's or an sqlite3 shell's: a
// TRUNCATE that holds the checkpoint and write locks while it waits for the
// reader `reader` keeps, until that reader lets go. (Start it between the
// writer's commits: they wait for the write lock.)
struct OtherCheckpoint {
  std::unique_ptr<SqliteDb> reader;
  std::unique_ptr<SqliteDb> db;
  Result<WalCheckpoint> done = WalCheckpoint{};
  std::thread thread;
  bool waiting = false;  // it was seen holding the write lock

  explicit OtherCheckpoint(const std::string& path) {
    reader = OpenDb(path);
    REQUIRE(reader->Exec("BEGIN").ok());
    REQUIRE(reader->QueryInt("SELECT count(*) FROM t").ok());
    db = OpenDb(path);
    db->SetBusyTimeout(20000);
    // A connection finds the WAL only once it has read.
    REQUIRE(db->QueryInt("SELECT count(*) FROM t").ok());
    thread = std::thread([this] { done = db->Checkpoint(CheckpointMode::kTruncate); });
    // It holds the write lock once it waits for the reader.
    auto probe = OpenDb(path);
    probe->SetBusyTimeout(0);
    for (int i = 0; i < 5000 && !waiting; ++i) {
      waiting = !probe->Exec("BEGIN IMMEDIATE").ok();
      if (!waiting) {
        probe->Exec("ROLLBACK");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  }
  // Lets the checkpoint finish.
  void Finish() {
    REQUIRE(reader->Exec("COMMIT").ok());
    thread.join();
    REQUIRE(done.ok());
    CHECK_FALSE(done->busy);
  }
  ~OtherCheckpoint() {
    if (thread.joinable()) Finish();
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

// 110 pages leave a WAL of 512 KiB past 3/4 of its limit: a restart is due
// after the commit.
constexpr int64_t kSmallLimit = 512 << 10;
constexpr int kPastThreeQuarters = 110;

TEST_CASE("a restart refused by another process's checkpoint is tried after the next commit") {
  TempDir dir;
  Writer w(dir / "t.db", kSmallLimit);
  w.Insert(kPastThreeQuarters);
  auto other = std::make_unique<OtherCheckpoint>(dir / "t.db");
  REQUIRE(other->waiting);
  StderrCapture log(dir / "stderr");
  w.checkpointer->RestartIfDue();
  // SQLite refused it at once: nothing ran, and nothing to tell.
  CHECK(w.checkpointer->restarts() == 0);
  other->Finish();
  other.reset();
  // The next commit past 3/4 restarts, without the second's wait a reader
  // would have cost.
  w.Commit(kPastThreeQuarters);
  CHECK(w.checkpointer->restarts() == 1);
  CHECK(log.Text().empty());
}

TEST_CASE("a restart refused for a second by another process's checkpoint is logged as that") {
  TempDir dir;
  Writer w(dir / "t.db", kSmallLimit);
  w.Insert(kPastThreeQuarters);
  OtherCheckpoint other(dir / "t.db");
  REQUIRE(other.waiting);
  StderrCapture log(dir / "stderr");
  w.checkpointer->RestartIfDue();
  std::this_thread::sleep_for(std::chrono::milliseconds(WalCheckpointer::kRestartRetryMs));
  // The writer cannot commit while that checkpoint holds the write lock
  // (one of pasted import's passives would not): its WAL hook is called as
  // after two more commits.
  for (int i = 0; i < 2; ++i) {
    w.checkpointer->Committed(kPastThreeQuarters + 1 + i);
    w.checkpointer->RestartIfDue();
  }
  std::string text = log.Text();
  INFO(text);
  CHECK(text.find("another process is checkpointing the database") != std::string::npos);
  CHECK(text.find("reader") == std::string::npos);
  // Told once, not after every commit.
  CHECK(text.find("another process", text.find("another process") + 1) == std::string::npos);
  CHECK(w.checkpointer->restarts() == 0);
}

TEST_CASE("a restart held up by a reader is logged as that and tried again a second later") {
  TempDir dir;
  Writer w(dir / "t.db", kSmallLimit);
  auto reader = OpenDb(dir / "t.db");
  REQUIRE(reader->Exec("BEGIN").ok());
  REQUIRE(reader->QueryInt("SELECT count(*) FROM t").ok());
  StderrCapture log(dir / "stderr");
  w.Commit(kPastThreeQuarters);
  CHECK(w.checkpointer->restarts() == 1);
  REQUIRE(reader->Exec("COMMIT").ok());
  // Within the second the next due restart waits.
  w.Commit(kPastThreeQuarters);
  CHECK(w.checkpointer->restarts() == 1);
  std::string text = log.Text();
  INFO(text);
  CHECK(text.find("could not be started over: a reader holds an old snapshot") !=
        std::string::npos);
  CHECK(text.find("trying again in 1000 ms") != std::string::npos);
}

}  // namespace
}  // namespace pastebin
