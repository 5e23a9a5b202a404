#include "daemon/paste_service.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

#include "common/clock.h"
#include "daemon/base/memory_budget.h"
#include "daemon/paste_cache.h"
#include "daemon/store/content_dir.h"
#include "daemon/store/sqlite/sqlite_metadata_store.h"
#include "daemon/token.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

using testing::ListFiles;
using testing::TempDir;

constexpr int64_t kNow = 1790000000;  // 2026-09-20

// A deterministic generator (splitmix64): two instances with one seed hand
// out the same bytes, which makes shortlink collisions reproducible.
class SeededRandom : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  bool Fill(uint8_t* buf, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      if (i % 8 == 0) {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        word_ = z ^ (z >> 31);
      }
      buf[i] = static_cast<uint8_t>(word_ >> (8 * (i % 8)));
    }
    return true;
  }

 private:
  uint64_t state_;
  uint64_t word_ = 0;
};

// Metadata that refuses every insert with a fixed status.
class FailingMetadata : public MetadataStore {
 public:
  explicit FailingMetadata(Status s) : status_(std::move(s)) {}
  Status Insert(const PasteRecord&) override {
    ++inserts;
    return status_;
  }
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override {
    inserts += static_cast<int>(records.size());
    return std::vector<Status>(records.size(), status_);
  }
  Result<PasteRecord> Get(std::string_view) override { return NotFound("no"); }
  Result<PasteRecord> Delete(std::string_view) override { return NotFound("no"); }
  Result<std::vector<PasteRecord>> DeleteExpired(int64_t, size_t) override {
    return std::vector<PasteRecord>();
  }
  Result<StoredTotals> Totals() override { return StoredTotals(); }
  Status Check() override { return Status::Ok(); }
  int inserts = 0;

 private:
  Status status_;
};

// Limits with every body a file, for what only files do (orphans, lost
// bodies); the default keeps small bodies inline in the database.
PasteLimits EveryBodyAFile(PasteLimits limits = {}) {
  limits.inline_max_bytes = 0;
  return limits;
}

struct Fixture {
  explicit Fixture(PasteLimits limits = {})
      : service(*metadata, files(), clock, SystemRandom(), limits) {}
  TempDir dir;
  FakeClock clock{kNow};
  std::unique_ptr<SqliteMetadataStore> metadata =
      std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  std::unique_ptr<ContentDir> bodies =
      std::move(ContentDir::Open(dir.path(), SystemRandom())).value();
  PasteService service;

  FileBodies files() { return {bodies.get(), metadata.get()}; }
  size_t BodyFiles() { return ListFiles(dir / "content").size(); }
  // Bodies stored anywhere: files and bodies inline in their rows.
  size_t StoredBodies() {
    auto db = SqliteDb::Open(dir / "pastes.db", false);
    return BodyFiles() + static_cast<size_t>(*(*db)->QueryInt("SELECT count(body) FROM pastes"));
  }
  bool Exists(const std::string& key) {
    return bodies->Read(key).status().code() != Code::kNotFound;
  }
};

// Sets a file's modification time.
void SetMtime(const std::string& path, int64_t when) {
  struct timeval tv[2] = {{static_cast<time_t>(when), 0}, {static_cast<time_t>(when), 0}};
  REQUIRE(utimes(path.c_str(), tv) == 0);
}

TEST_CASE("a created paste reads back exactly") {
  Fixture f;
  std::string text = "line one\r\nline two\ttabbed\n日本語 😀";
  auto created = f.service.Create(text, 0);
  REQUIRE(created.ok());
  const PasteRecord& r = created->record;
  CHECK(r.created_at == kNow);
  CHECK_FALSE(r.expires_at.has_value());
  CHECK(r.size == static_cast<int64_t>(text.size()));
  CHECK(created->delete_token.size() == 32);  // 128 bits in hex
  CHECK(r.delete_token_hash == HashToken(created->delete_token));
  CHECK(r.delete_token_hash != created->delete_token);

  auto paste = f.service.Get(r.shortlink);
  REQUIRE(paste.ok());
  CHECK((*paste)->contents == text);
}

TEST_CASE("an expired paste is not served, before any gc") {
  Fixture f;
  auto created = f.service.Create("soon gone", 1);
  REQUIRE(created.ok());
  CHECK(created->record.expires_at == kNow + 60);
  f.clock.Advance(59);
  CHECK(f.service.Get(created->record.shortlink).ok());
  f.clock.Advance(1);
  auto gone = f.service.Get(created->record.shortlink);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.status().code() == Code::kNotFound);
  CHECK(gone.status().message() ==
        "paste " + created->record.shortlink + " does not exist or has expired");
}

TEST_CASE("a shortlink collision is retried with a new link") {
  Fixture f;
  // Two services drawing the same random sequence: the second one's first
  // shortlink is the first one's, so its insert conflicts and retries.
  SeededRandom first_random(42), second_random(42);
  PasteService first(*f.metadata, f.files(), f.clock, first_random, {});
  PasteService second(*f.metadata, f.files(), f.clock, second_random, {});
  auto a = first.Create("first", 0);
  auto b = second.Create("second", 0);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->record.shortlink != b->record.shortlink);
  CHECK((*f.service.Get(a->record.shortlink))->contents == "first");
  CHECK((*f.service.Get(b->record.shortlink))->contents == "second");
}

TEST_CASE("refused pastes leave no body behind") {
  Fixture f;
  PasteService small(*f.metadata, f.files(), f.clock, SystemRandom(), PasteLimits{10});
  SECTION("too large") {
    auto r = small.Create("12345678901", 0);
    CHECK(r.status().code() == Code::kTooLarge);
    CHECK(r.status().message() ==
          "paste is 11 bytes, over this server's limit of 10 bytes; split it "
          "or ask the operator to raise max_paste_bytes");
    CHECK(small.Create("1234567890", 0).ok());  // exactly the limit is fine
    CHECK(f.StoredBodies() == 1);
    return;
  }
  SECTION("not text") {
    CHECK(small.Create(std::string("a\0b", 3), 0).status().code() == Code::kNotText);
    CHECK(small.Create("\xff", 0).status().code() == Code::kNotText);
  }
  SECTION("empty") {
    auto r = small.Create("", 0);
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message() == "paste is empty; there is nothing to store");
  }
  SECTION("bad expiry") {
    CHECK(small.Create("x", -1).status().code() == Code::kInvalidArgument);
    CHECK(small.Create("x", 52596001).status().code() == Code::kInvalidArgument);
  }
  CHECK(f.StoredBodies() == 0);
}

TEST_CASE("a failed insert keeps its body, for gc to collect if no row claims it") {
  // Regression: a failed WAL sync answered 500 and removed the body, but
  // SQLite replayed the row after a crash: a row without a body, 404
  // forever, never collected.
  Fixture f;
  FailingMetadata failing(Internal("disk I/O error"));
  PasteService service(failing, f.files(), f.clock, SystemRandom(), EveryBodyAFile());
  auto r = service.Create("lost", 0);
  CHECK(r.status().code() == Code::kInternal);
  CHECK(failing.inserts == 1);
  CHECK(f.BodyFiles() == 1);
  // No row ever claimed it: an orphan once it is old enough.
  f.clock.Advance(kOrphanMinAgeSeconds + 1);
  for (const std::string& file : ListFiles(f.dir / "content")) {
    SetMtime(f.dir / "content/" + file, kNow);
  }
  auto gc = service.CollectGarbage();
  REQUIRE(gc.ok());
  CHECK(gc->orphans_removed == 1);
  CHECK(f.BodyFiles() == 0);
}

TEST_CASE("endless shortlink conflicts give up cleanly") {
  Fixture f;
  FailingMetadata full(Status(Code::kConflict, "taken"));
  PasteService service(full, f.files(), f.clock, SystemRandom(), {});
  auto r = service.Create("nowhere to go", 0);
  CHECK(r.status().code() == Code::kUnavailable);
  CHECK(r.status().message() == "could not find a free shortlink; try again");
  CHECK(full.inserts == 8);
}

TEST_CASE("a row whose body is gone is removed when it is read") {
  Fixture f(EveryBodyAFile());
  auto created = f.service.Create("soon bodiless", 0);
  REQUIRE(created.ok());
  REQUIRE(unlink((f.dir / created->record.paste_path).c_str()) == 0);
  // On the event loop a miss is only a miss: the look is a worker's.
  CHECK(f.service.Get(created->record.shortlink, false).status().code() == Code::kWouldBlock);
  CHECK(f.metadata->Get(created->record.shortlink).ok());
  auto r = f.service.Get(created->record.shortlink);
  CHECK(r.status().code() == Code::kNotFound);
  CHECK(f.metadata->Get(created->record.shortlink).status().code() == Code::kNotFound);
}

TEST_CASE("gc removes rows whose bodies are gone, and only those") {
  Fixture f(EveryBodyAFile());
  auto lost = f.service.Create("lost body", 0);
  auto kept = f.service.Create("kept body", 0);
  auto link = f.service.CreateLink("https://example.org/", 0);
  REQUIRE(lost.ok());
  REQUIRE(kept.ok());
  REQUIRE(link.ok());
  REQUIRE(unlink((f.dir / lost->record.paste_path).c_str()) == 0);
  auto gc = f.service.CollectGarbage();
  REQUIRE(gc.ok());
  CHECK(gc->missing_bodies == 1);
  CHECK(f.metadata->Get(lost->record.shortlink).status().code() == Code::kNotFound);
  CHECK(f.service.Get(kept->record.shortlink).ok());
  CHECK(f.service.Get(link->record.shortlink).ok());
}

TEST_CASE("links that are not shortlinks are not found without a lookup") {
  Fixture f;
  for (const char* bad : {"", "..", "../../etc/passwd", "Ab3dE9", "Ab3dE9xx"}) {
    auto r = f.service.Get(bad);
    CHECK(r.status().code() == Code::kNotFound);
  }
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

TEST_CASE("gc deletes exactly the expired pastes and their bodies") {
  for (PasteLimits limits : {PasteLimits{}, EveryBodyAFile()}) {
    INFO("inline up to " << limits.inline_max_bytes);
    Fixture f(limits);
    auto never = f.service.Create("keeps", 0);
    auto later = f.service.Create("later", 10);
    auto soon1 = f.service.Create("soon one", 1);
    auto soon2 = f.service.Create("soon two!", 2);
    REQUIRE((never.ok() && later.ok() && soon1.ok() && soon2.ok()));
    f.clock.Advance(120);  // soon1 and soon2 expired, later not

    auto gc = f.service.CollectGarbage();
    REQUIRE(gc.ok());
    CHECK(gc->deleted == 2);
    CHECK(gc->bytes_freed == 8 + 9);
    CHECK(gc->orphans_removed == 0);
    CHECK(f.metadata->Get(soon1->record.shortlink).status().code() == Code::kNotFound);
    CHECK((*f.service.Get(never->record.shortlink))->contents == "keeps");
    CHECK((*f.service.Get(later->record.shortlink))->contents == "later");
    CHECK(f.StoredBodies() == 2);

    auto again = f.service.CollectGarbage();
    REQUIRE(again.ok());
    CHECK(again->deleted == 0);
    CHECK(again->bytes_freed == 0);
  }
}

TEST_CASE("gc works through more rows than one batch") {
  Fixture f;
  {
    // Rows without bodies are enough here, inserted in one transaction.
    auto db = SqliteDb::Open(f.dir / "pastes.db", false);
    REQUIRE(db.ok());
    std::string sql = "BEGIN;";
    for (size_t i = 0; i < 2 * kGcBatchSize + 7; ++i) {
      char link[8];
      snprintf(link, sizeof(link), "x%06zu", i);
      sql +=
          "INSERT INTO pastes (shortlink, expiration_length_in_minutes, created_at,"
          " expires_at, paste_path, size, delete_token_hash) VALUES ('" +
          std::string(link) + "', 1, " + std::to_string(kNow) + ", " + std::to_string(kNow + 60) +
          ", 'content/0/00/none', 3, 'h');";
    }
    REQUIRE((*db)->Exec(sql + "COMMIT;").ok());
  }
  auto kept = f.service.Create("kept", 0);
  REQUIRE(kept.ok());
  f.clock.Advance(60);
  auto gc = f.service.CollectGarbage();
  REQUIRE(gc.ok());
  CHECK(gc->deleted == static_cast<int64_t>(2 * kGcBatchSize + 7));
  CHECK(f.service.Get(kept->record.shortlink).ok());
}

TEST_CASE("gc removes old orphaned bodies but never one a row points at") {
  Fixture f(EveryBodyAFile());
  int64_t real_now = SystemClock().NowSeconds();
  f.clock.Set(real_now);
  auto live = f.service.Create("live paste", 0);
  REQUIRE(live.ok());
  // Orphans: bodies stored without rows, as after a crash before commit.
  auto old_orphan = f.bodies->Put("old orphan");
  auto new_orphan = f.bodies->Put("new orphan");
  REQUIRE((old_orphan.ok() && new_orphan.ok()));
  SetMtime(f.dir / *old_orphan, real_now - kOrphanMinAgeSeconds - 5);
  SetMtime(f.dir / live->record.paste_path, real_now - 10 * kOrphanMinAgeSeconds);
  // An abandoned temp file and one still being written (data dirs from
  // before storage v2 have content/tmp).
  REQUIRE(mkdir((f.dir / "content/tmp").c_str(), 0700) == 0);
  testing::WriteFile(f.dir / "content/tmp/0123456789abcdef0123456789abcdef", "half");
  testing::WriteFile(f.dir / "content/tmp/fedcba9876543210fedcba9876543210", "writing");
  SetMtime(f.dir / "content/tmp/0123456789abcdef0123456789abcdef", real_now - kOrphanMinAgeSeconds);
  // Something that is not ours.
  testing::WriteFile(f.dir / "content/README", "hands off");

  auto gc = f.service.CollectGarbage();
  REQUIRE(gc.ok());
  CHECK(gc->deleted == 0);
  CHECK(gc->orphans_removed == 2);
  CHECK(gc->bytes_freed == 10 + 4);
  CHECK_FALSE(f.Exists(*old_orphan));
  CHECK(f.Exists(*new_orphan));
  CHECK((*f.service.Get(live->record.shortlink))->contents == "live paste");
  CHECK(testing::ReadFile(f.dir / "content/tmp/fedcba9876543210fedcba9876543210") == "writing");
  CHECK(testing::ReadFile(f.dir / "content/README") == "hands off");
}

TEST_CASE("delete with the right token removes row and body") {
  Fixture f;
  auto p = f.service.Create("bye", 0);
  REQUIRE(p.ok());
  CHECK(f.service.Delete(p->record.shortlink, p->delete_token).ok());
  CHECK(f.service.Get(p->record.shortlink).status().code() == Code::kNotFound);
  CHECK(f.StoredBodies() == 0);
  CHECK(f.service.Delete(p->record.shortlink, p->delete_token).code() == Code::kNotFound);
}

TEST_CASE("delete with a wrong or missing token keeps the paste") {
  Fixture f;
  auto p = f.service.Create("stay", 0);
  REQUIRE(p.ok());
  Status wrong = f.service.Delete(p->record.shortlink, "0123456789abcdef");
  CHECK(wrong.code() == Code::kForbidden);
  CHECK(wrong.message() ==
        "wrong delete token for paste " + p->record.shortlink + "; nothing was deleted");
  Status missing = f.service.Delete(p->record.shortlink, "");
  CHECK(missing.code() == Code::kForbidden);
  CHECK(missing.message() == "deleting paste " + p->record.shortlink +
                                 " needs its delete token (the X-Delete-Token "
                                 "header)");
  // Another paste's token is just as wrong.
  auto other = f.service.Create("other", 0);
  CHECK(f.service.Delete(p->record.shortlink, other->delete_token).code() == Code::kForbidden);
  CHECK((*f.service.Get(p->record.shortlink))->contents == "stay");
}

TEST_CASE("deleting an unknown or expired paste is not found") {
  Fixture f;
  CHECK(f.service.Delete("Zz9Zz9Z", "t").code() == Code::kNotFound);
  auto p = f.service.Create("short", 1);
  REQUIRE(p.ok());
  f.clock.Advance(60);
  CHECK(f.service.Delete(p->record.shortlink, p->delete_token).code() == Code::kNotFound);
}

TEST_CASE("the server's default expiry applies when the client names none") {
  Fixture f;
  PasteLimits limits;
  limits.default_expiry_minutes = 60;
  PasteService service(*f.metadata, f.files(), f.clock, SystemRandom(), limits);
  auto defaulted = service.Create("x", std::nullopt);
  REQUIRE(defaulted.ok());
  CHECK(defaulted->record.expiration_length_in_minutes == 60);
  CHECK(defaulted->record.expires_at == kNow + 3600);
  auto forever = service.Create("x", 0);
  REQUIRE(forever.ok());
  CHECK_FALSE(forever->record.expires_at.has_value());
}

TEST_CASE("the server's maximum expiry refuses longer ones and never") {
  Fixture f;
  PasteLimits limits;
  limits.max_expiry_minutes = 7 * 24 * 60;
  PasteService service(*f.metadata, f.files(), f.clock, SystemRandom(), limits);
  CHECK(service.Create("x", 7 * 24 * 60).ok());
  auto longer = service.Create("x", 8 * 24 * 60);
  CHECK(longer.status().code() == Code::kInvalidArgument);
  CHECK(longer.status().message() ==
        "expiry 8d is longer than this server allows; choose one up to 1w");
  auto never = service.Create("x", 0);
  CHECK(never.status().message() ==
        "this server does not keep pastes forever; choose an expiry up to 1w");
  CHECK(f.StoredBodies() == 1);
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

TEST_CASE("a cached paste is served without the stores, until it expires") {
  Fixture f;
  PasteService service(*f.metadata, f.files(), f.clock, SystemRandom(), EveryBodyAFile());
  auto p = service.Create("hot", 1);
  REQUIRE(p.ok());
  REQUIRE(service.Get(p->record.shortlink).ok());  // miss, then cached
  // The body file is gone from under it, yet the cache still answers...
  REQUIRE(::unlink((f.dir / p->record.paste_path).c_str()) == 0);
  CHECK((*service.Get(p->record.shortlink))->contents == "hot");
  CHECK(service.counters().cache_hits == 1);
  CHECK(service.counters().cache_misses == 1);
  // ...but never past the expiry.
  f.clock.Advance(60);
  CHECK(service.Get(p->record.shortlink).status().code() == Code::kNotFound);
  CHECK(service.cache().bytes() == 0);
}

TEST_CASE("delete and gc take pastes out of the cache") {
  Fixture f;
  auto kept = f.service.Create("deleted", 0);
  auto gone = f.service.Create("collected", 1);
  REQUIRE((kept.ok() && gone.ok()));
  REQUIRE(f.service.Get(kept->record.shortlink).ok());
  REQUIRE(f.service.Get(gone->record.shortlink).ok());
  REQUIRE(f.service.cache().bytes() > 0);
  REQUIRE(f.service.Delete(kept->record.shortlink, kept->delete_token).ok());
  CHECK(f.service.Get(kept->record.shortlink).status().code() == Code::kNotFound);
  f.clock.Advance(60);
  REQUIRE(f.service.CollectGarbage().ok());
  CHECK(f.service.cache().bytes() == 0);
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

// Waits for a CreateAsync answer.
struct Awaited {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Result<NewPaste>> result;
  PasteService::CreatedFn Callback() {
    return [this](Result<NewPaste> r) {
      std::lock_guard<std::mutex> lock(mu);
      result.emplace(std::move(r));
      cv.notify_all();
    };
  }
  Result<NewPaste> Get() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return result.has_value(); });
    return *result;
  }
};

TEST_CASE("an asynchronous create is durable before it is answered") {
  Fixture f;
  Awaited a;
  REQUIRE(f.service.CreateAsync("queued, not waited for", 0, {}, a.Callback()).ok());
  auto created = a.Get();
  REQUIRE(created.ok());
  // Answered means committed: another connection reads it.
  auto back = f.metadata->Get(created->record.shortlink);
  REQUIRE(back.ok());
  CHECK((*f.service.Get(created->record.shortlink))->contents == "queued, not waited for");
  CHECK(created->delete_token.size() == 32);
}

TEST_CASE(
    "an asynchronous create refuses at once what Create refuses, and leaves files to workers") {
  Fixture f;
  Awaited never;
  CHECK(f.service.CreateAsync("", 0, {}, never.Callback()).code() == Code::kInvalidArgument);
  CHECK(f.service.CreateAsync("x", -5, {}, never.Callback()).code() == Code::kInvalidArgument);
  CHECK(f.service.CreateAsync(std::string("a\0b", 3), 0, {}, never.Callback()).code() ==
        Code::kNotText);
  // Too large to be inline (random text does not compress enough): a
  // file, which a worker must write.
  std::mt19937 rng(7);
  std::string big;
  for (int i = 0; i < 200000; ++i) big.push_back(static_cast<char>('a' + rng() % 26));
  CHECK(f.service.CreateAsync(big, 0, {}, never.Callback()).code() == Code::kWouldBlock);
  CHECK(f.StoredBodies() == 0);
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

TEST_CASE("small bodies stored as files by an older layout move into the database") {
  Fixture f(EveryBodyAFile());
  auto small = f.service.Create("was a file", 0);
  REQUIRE(small.ok());
  REQUIRE(f.BodyFiles() == 1);
  PasteService upgraded(*f.metadata, f.files(), f.clock, SystemRandom(), PasteLimits{});
  auto moved = upgraded.MoveSmallBodiesInline();
  REQUIRE(moved.ok());
  CHECK(*moved == 1);
  CHECK(f.BodyFiles() == 0);
  CHECK(f.StoredBodies() == 1);
  auto back = f.metadata->Get(small->record.shortlink);
  REQUIRE(back.ok());
  CHECK(back->paste_path.empty());
  CHECK((*upgraded.Get(small->record.shortlink))->contents == "was a file");
  // Nothing left: a second run moves nothing.
  CHECK(*upgraded.MoveSmallBodiesInline() == 0);
}

// The content dir, counting the bodies read from it.
class CountingBodies : public BodyStore {
 public:
  explicit CountingBodies(BodyStore& real) : real_(real) {}
  Result<std::string> Put(std::string_view bytes) override { return real_.Put(bytes); }
  Result<std::string> Read(const std::string& key) override {
    ++reads;
    return real_.Read(key);
  }
  Status CheckWritable(int64_t room) override { return real_.CheckWritable(room); }
  Status Remove(const std::string& key) override { return real_.Remove(key); }
  Result<Sweep> RemoveOrphans(int64_t now, int64_t min_age,
                              const ReferencedKeys& referenced) override {
    return real_.RemoveOrphans(now, min_age, referenced);
  }
  int reads = 0;

 private:
  BodyStore& real_;
};

TEST_CASE("a paste too big to cache is refused before its body is read when the budget is spent") {
  // Regression: the charge came after the body was read and decoded, so
  // readers of big pastes at once held several times the answer budget
  // (16 GETs of 9 MiB pastes: 225 MiB against 64) in the moment before
  // most of them were refused.
  TempDir dir;
  FakeClock clock{kNow};
  auto metadata = std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  auto content = std::move(ContentDir::Open(dir.path(), SystemRandom())).value();
  CountingBodies counting(*content);
  PasteLimits limits;
  limits.cache_bytes = 0;  // every paste is too big to cache
  MemoryBudget budget(3 << 20);
  PasteService service(*metadata, {&counting, metadata.get()}, clock, SystemRandom(), limits,
                       nullptr, &budget);
  std::mt19937 rng(7);
  auto text = [&] {  // 1 MiB that zstd cannot shrink much
    std::string t;
    while (t.size() < (1 << 20)) t.push_back(static_cast<char>('!' + rng() % 90));
    return t;
  };
  auto first = service.Create(text(), 0);
  auto second = service.Create(text(), 0);
  REQUIRE(first.ok());
  REQUIRE(second.ok());

  auto held = service.Get(first->record.shortlink);  // an answer still being sent
  REQUIRE(held.ok());
  CHECK(counting.reads == 1);
  CHECK(budget.used() >= (1u << 20));
  CHECK(budget.used() < (3u << 20));
  auto refused = service.Get(second->record.shortlink);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Code::kUnavailable);
  CHECK(counting.reads == 1);  // its body was never read

  // Once the first answer is sent, the second is served, and holds only
  // what it uses.
  held = Status(Code::kNotFound, "sent");
  CHECK(budget.used() == 0);
  auto served = service.Get(second->record.shortlink);
  REQUIRE(served.ok());
  CHECK(counting.reads == 2);
  CHECK(budget.used() == PasteCache::Cost(**served));
}

TEST_CASE("a burning paste refused for the budget is refused before it is deleted") {
  TempDir dir;
  FakeClock clock{kNow};
  auto metadata = std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  auto content = std::move(ContentDir::Open(dir.path(), SystemRandom())).value();
  PasteLimits limits;
  limits.cache_bytes = 0;
  MemoryBudget budget(3 << 20);
  PasteService service(*metadata, {content.get(), metadata.get()}, clock, SystemRandom(), limits,
                       nullptr, &budget);
  std::string text;
  std::mt19937 rng(9);
  while (text.size() < (1 << 20)) text.push_back(static_cast<char>('!' + rng() % 90));
  auto held_paste = service.Create(text, 0);
  PasteOptions burning;
  burning.burn_after_reading = true;
  auto burn = service.Create(text + "!", 0, burning);
  REQUIRE(held_paste.ok());
  REQUIRE(burn.ok());

  auto held = service.Get(held_paste->record.shortlink);
  REQUIRE(held.ok());
  auto refused = service.Burn(burn->record.shortlink);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Code::kUnavailable);
  CHECK(metadata->Get(burn->record.shortlink).ok());  // still there, unread

  held = Status(Code::kNotFound, "sent");
  auto read = service.Burn(burn->record.shortlink);
  REQUIRE(read.ok());
  CHECK((*read)->contents == text + "!");
  CHECK(budget.used() == PasteCache::Cost(**read));
  CHECK(service.Burn(burn->record.shortlink).status().code() == Code::kNotFound);
}

}  // namespace
}  // namespace pastebin
