#include "daemon/write_batcher.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon/content_dir.h"
#include "daemon/sqlite_metadata_store.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

// A body store whose first Sync() waits until the test opens a gate, so the
// test can line writers up behind a leader.
class GatedBodies : public BodyStore {
 public:
  explicit GatedBodies(BodyStore& real) : real_(real) {}
  Result<std::string> Put(std::string_view b) override { return real_.Put(b); }
  Status Sync() override {
    std::unique_lock<std::mutex> lock(mu_);
    syncs_++;
    cv_.wait(lock, [&] { return open_; });
    return real_.Sync();
  }
  Result<std::string> Read(const std::string& k, bool may_block) override {
    return real_.Read(k, may_block);
  }
  Status Remove(const std::string& k) override { return real_.Remove(k); }
  Status CheckWritable(int64_t room) override { return real_.CheckWritable(room); }
  Result<Sweep> RemoveOrphans(int64_t now, int64_t age,
                              const ReferencedKeys& r) override {
    return real_.RemoveOrphans(now, age, r);
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  int syncs() {
    std::lock_guard<std::mutex> lock(mu_);
    return syncs_;
  }

 private:
  BodyStore& real_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int syncs_ = 0;
};

PasteRecord Record(int i, const std::string& path) {
  PasteRecord r;
  char link[8];
  snprintf(link, sizeof(link), "b%06d", i);
  r.shortlink = link;
  r.created_at = 1;
  r.paste_path = path;
  r.size = 1;
  r.delete_token_hash = "h";
  return r;
}

TEST_CASE("concurrent creates share syncs and commits") {
  testing::TempDir dir;
  auto metadata = std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  auto content = std::move(ContentDir::Open(dir.path(), SystemRandom())).value();
  GatedBodies bodies(*content);
  WriteBatcher batcher(*metadata, bodies);
  const int kWriters = 32;
  std::vector<PasteRecord> records;
  for (int i = 0; i < kWriters; ++i) records.push_back(Record(i, *bodies.Put("x")));
  std::vector<Status> results(kWriters);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { results[0] = batcher.Commit(records[0]); });
  // The first writer leads and waits in Sync; everyone else queues behind.
  REQUIRE(testing::WaitUntil([&] { return bodies.syncs() == 1; }));
  for (int i = 1; i < kWriters; ++i) {
    threads.emplace_back([&, i] { results[i] = batcher.Commit(records[i]); });
  }
  REQUIRE(testing::WaitUntil([&] { return batcher.queued() == kWriters; }));
  bodies.Open();
  for (auto& t : threads) t.join();
  for (int i = 0; i < kWriters; ++i) {
    INFO(i);
    CHECK(results[i].ok());
    CHECK(metadata->Get(records[i].shortlink).ok());
  }
  CHECK(batcher.rows() == kWriters);
  CHECK(batcher.batches() == 2);  // the leader alone, then all the rest
  CHECK(bodies.syncs() == 2);
}

TEST_CASE("a taken shortlink fails only its own row in a batch") {
  testing::TempDir dir;
  auto metadata = std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  PasteRecord a = Record(1, "content/a/bc/1"), dup = Record(1, "content/a/bc/2"),
              b = Record(2, "content/a/bc/3");
  auto results = metadata->InsertBatch({&a, &dup, &b});
  REQUIRE(results.size() == 3);
  CHECK(results[0].ok());
  CHECK(results[1].code() == Code::kConflict);
  CHECK(results[2].ok());
  CHECK(metadata->Get(a.shortlink)->paste_path == "content/a/bc/1");
  CHECK(metadata->Get(b.shortlink).ok());
}

}  // namespace
}  // namespace pastebin
