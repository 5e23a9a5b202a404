#include "daemon/store/write_batcher.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon/store/sqlite/sqlite_metadata_store.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

// A metadata store that hands everything to a real one.
class ForwardingMetadata : public MetadataStore {
 public:
  explicit ForwardingMetadata(MetadataStore& real) : real_(real) {}
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override {
    return real_.InsertBatch(records);
  }
  Status Insert(const PasteRecord& r) override { return real_.Insert(r); }
  Result<PasteRecord> Get(std::string_view s) override { return real_.Get(s); }
  Result<PasteRecord> Delete(std::string_view s) override { return real_.Delete(s); }
  Result<std::vector<PasteRecord>> DeleteExpired(int64_t now, size_t limit) override {
    return real_.DeleteExpired(now, limit);
  }
  Result<StoredTotals> Totals() override { return real_.Totals(); }
  Status Check() override { return real_.Check(); }

 protected:
  MetadataStore& real_;
};

// A metadata store whose first batch waits until the test opens a gate, so
// the test can line writers up behind a leader.
class GatedMetadata : public ForwardingMetadata {
 public:
  using ForwardingMetadata::ForwardingMetadata;
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      batches_++;
      cv_.wait(lock, [&] { return open_; });
    }
    return real_.InsertBatch(records);
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  int batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int batches_ = 0;
};

PasteRecord BatchRecord(int i, const std::string& body) {
  PasteRecord r;
  char link[8];
  snprintf(link, sizeof(link), "b%06d", i);
  r.shortlink = link;
  r.created_at = 1;
  r.inline_body = body;
  r.size = r.stored_size = static_cast<int64_t>(body.size());
  r.delete_token_hash = "h";
  return r;
}

// Writers of n pastes ("body i") through a batcher, each on a thread of
// its own, and what each was answered.
struct Writers {
  WriteBatcher& batcher;
  std::vector<PasteRecord> records;
  std::vector<Status> results;
  std::vector<std::thread> threads;
  Writers(WriteBatcher& b, int n) : batcher(b), results(n) {
    for (int i = 0; i < n; ++i) records.push_back(BatchRecord(i, "body " + std::to_string(i)));
  }
  ~Writers() { Join(); }
  void Start(int from, int to) {
    for (int i = from; i < to; ++i) {
      threads.emplace_back([this, i] { results[i] = batcher.Commit(records[i]); });
    }
  }
  void Join() {
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
  }
  // Once joined: every one was answered OK and reads back from real.
  void CheckStored(MetadataStore& real) {
    for (size_t i = 0; i < records.size(); ++i) {
      INFO(i);
      CHECK(results[i].ok());
      auto back = real.Get(records[i].shortlink);
      REQUIRE(back.ok());
      CHECK(back->inline_body == "body " + std::to_string(i));
    }
  }
};

// Opens the gate as a test ends: a failed REQUIRE must not leave the
// committers stuck (declared after the Writers, which join then).
struct OpenAtExit {
  GatedMetadata& m;
  ~OpenAtExit() { m.Open(); }
};

TEST_CASE("concurrent creates share one commit") {
  testing::TempDir dir;
  auto real = std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  GatedMetadata metadata(*real);
  WriteBatcher batcher(metadata);
  const int kWriters = 32;
  Writers writers(batcher, kWriters);
  OpenAtExit open_at_exit{metadata};
  writers.Start(0, 1);
  // The committer takes the first and waits in its commit; everyone else
  // queues meanwhile.
  REQUIRE(testing::WaitUntil([&] { return metadata.batches() == 1; }));
  writers.Start(1, kWriters);
  REQUIRE(testing::WaitUntil([&] { return batcher.queued() == kWriters - 1; }));
  metadata.Open();
  writers.Join();
  writers.CheckStored(*real);
  CHECK(batcher.rows() == kWriters);
  CHECK(batcher.batches() == 2);  // the first alone, then all the rest
  CHECK(metadata.batches() == 2);
}

// GatedMetadata for a store whose server commits several transactions at
// once (PostgreSQL's).
class GatedTwoAtOnce : public GatedMetadata {
 public:
  using GatedMetadata::GatedMetadata;
  size_t BatchesAtOnce() const override { return 2; }
};

TEST_CASE("a store that commits two batches at once gets the second while the first commits") {
  testing::TempDir dir;
  auto real = std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  GatedTwoAtOnce metadata(*real);
  WriteBatcher batcher(metadata);
  const int kWriters = 12;
  Writers writers(batcher, kWriters);
  OpenAtExit open_at_exit{metadata};
  writers.Start(0, 1);
  REQUIRE(testing::WaitUntil([&] { return metadata.batches() == 1; }));
  // The first batch has not returned: the second committer takes this one.
  writers.Start(1, 2);
  REQUIRE(testing::WaitUntil([&] { return metadata.batches() == 2; }));
  // Both are busy: the rest wait for one of them, together.
  writers.Start(2, kWriters);
  REQUIRE(testing::WaitUntil([&] { return batcher.queued() == kWriters - 2; }));
  CHECK(metadata.batches() == 2);
  metadata.Open();
  writers.Join();
  writers.CheckStored(*real);
  CHECK(batcher.rows() == kWriters);
  CHECK(batcher.batches() == 3);  // one, one, then all the rest
}

// SQLite's store with its syncs held until the test lets them go, counting
// commits and syncs.
class HeldSyncs : public ForwardingMetadata {
 public:
  using ForwardingMetadata::ForwardingMetadata;
  std::vector<Status> InsertBatchUnsynced(const std::vector<const PasteRecord*>& records,
                                          bool* sync_needed) override {
    auto out = real_.InsertBatchUnsynced(records, sync_needed);
    std::lock_guard<std::mutex> lock(mu_);
    commits_++;
    return out;
  }
  void SyncCommits() override {
    std::unique_lock<std::mutex> lock(mu_);
    syncs_started_++;
    cv_.wait(lock, [&] { return permits_ > 0; });
    permits_--;
    lock.unlock();
    real_.SyncCommits();
  }
  void Release(int syncs = 1) {
    std::lock_guard<std::mutex> lock(mu_);
    permits_ += syncs;
    cv_.notify_all();
  }
  int commits() {
    std::lock_guard<std::mutex> lock(mu_);
    return commits_;
  }
  int syncs_started() {
    std::lock_guard<std::mutex> lock(mu_);
    return syncs_started_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int permits_ = 0;  // syncs that may go ahead
  int commits_ = 0;
  int syncs_started_ = 0;
};

TEST_CASE("a batch is answered after its sync, while the next one is inserted") {
  testing::TempDir dir;
  auto real = std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  HeldSyncs metadata(*real);
  WriteBatcher batcher(metadata);
  PasteRecord first = BatchRecord(1, "first"), second = BatchRecord(2, "second");
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  struct ReleaseAtExit {  // a failed REQUIRE must not leave the syncer stuck
    HeldSyncs& m;
    std::vector<std::thread>& threads;
    ~ReleaseAtExit() {
      m.Release(100);
      for (auto& t : threads) t.join();
    }
  } release_at_exit{metadata, threads};
  threads.emplace_back([&] {
    CHECK(batcher.Commit(first).ok());
    answered++;
  });
  // Committed and visible, its sync under way: not answered yet.
  REQUIRE(testing::WaitUntil([&] { return metadata.syncs_started() == 1; }));
  CHECK(real->Get(first.shortlink).ok());
  CHECK(answered == 0);
  // The committer does not wait for that sync: the next batch goes in.
  threads.emplace_back([&] {
    CHECK(batcher.Commit(second).ok());
    answered++;
  });
  REQUIRE(testing::WaitUntil([&] { return metadata.commits() == 2; }));
  CHECK(answered == 0);
  // The first sync began before the second commit: it answers only the first.
  metadata.Release();
  REQUIRE(testing::WaitUntil([&] { return answered == 1; }));
  REQUIRE(testing::WaitUntil([&] { return metadata.syncs_started() == 2; }));
  CHECK(answered == 1);
  metadata.Release();
  REQUIRE(testing::WaitUntil([&] { return answered == 2; }));
  CHECK(real->Get(second.shortlink)->inline_body == "second");
}

TEST_CASE("a taken shortlink fails only its own row in a batch, and leaves no body") {
  testing::TempDir dir;
  auto metadata = std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  PasteRecord a = BatchRecord(1, "first"), dup = BatchRecord(1, "second"),
              b = BatchRecord(2, "third");
  auto results = metadata->InsertBatch({&a, &dup, &b});
  REQUIRE(results.size() == 3);
  CHECK(results[0].ok());
  CHECK(results[1].code() == Code::kConflict);
  CHECK(results[2].ok());
  CHECK(metadata->Get(a.shortlink)->inline_body == "first");
  CHECK(metadata->Get(b.shortlink)->inline_body == "third");
  auto db = SqliteDb::Open(dir / "pastes.db", false);
  REQUIRE(db.ok());
  CHECK(*(*db)->QueryInt("SELECT count(body) FROM pastes") == 2);
  // A delete takes the body with the row.
  REQUIRE(metadata->Delete(a.shortlink).ok());
  CHECK(*(*db)->QueryInt("SELECT count(body) FROM pastes") == 1);
}

}  // namespace
}  // namespace pastebin
