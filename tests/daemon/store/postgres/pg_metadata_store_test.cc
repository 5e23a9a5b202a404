#include "daemon/store/postgres/pg_metadata_store.h"

#include <dirent.h>
#include <signal.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/postgres.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_loop.h"

namespace pastebin {
namespace {

using testing::TestLoop;

using testing::PostgresServer;

PasteRecord Paste(const std::string& link, std::optional<int64_t> expires_at = std::nullopt) {
  PasteRecord r;
  r.shortlink = link;
  r.created_at = 1800000000;
  r.expires_at = expires_at;
  r.expiration_length_in_minutes = expires_at ? 10 : 0;
  r.inline_body = std::string("body of ") + link + std::string("\0\xff\x01 end", 6);
  r.codec = BodyCodec::kZstd;
  r.stored_size = static_cast<int64_t>(r.inline_body.size());
  r.size = 100;
  r.content_hash = std::string("\x00\x01\xfe\xff", 4) + "0123456789ab";
  r.delete_token_hash = std::string(64, 'a');
  return r;
}

TEST_CASE("PostgreSQL rows keep every field and binary bodies, and collisions are per row") {
  PostgresServer pg;
  auto store = PgMetadataStore::Open({pg.url(), "", "test"});
  REQUIRE(store.ok());
  PgMetadataStore& s = **store;
  PasteRecord a = Paste("Aaaaaa1", 1800000600);
  REQUIRE(s.Insert(a).ok());
  auto got = s.Get("Aaaaaa1");
  REQUIRE(got.ok());
  CHECK(got->shortlink == a.shortlink);
  CHECK(got->created_at == a.created_at);
  CHECK(got->expires_at == a.expires_at);
  CHECK(got->expiration_length_in_minutes == 10);
  CHECK(got->inline_body == a.inline_body);
  CHECK(got->codec == BodyCodec::kZstd);
  CHECK(got->stored_size == a.stored_size);
  CHECK(got->size == 100);
  CHECK(got->content_hash == a.content_hash);
  CHECK(got->delete_token_hash == a.delete_token_hash);
  CHECK_FALSE(got->link_target);
  CHECK_FALSE(got->burn_after_reading);
  CHECK(got->language.empty());

  // The flag, the language and a short link's target come back too, and a
  // read of several rows at once gives each its own (one query).
  PasteRecord burn = Paste("Burnnn1");
  burn.burn_after_reading = true;
  burn.language = "c++";
  PasteRecord link = Paste("Linkkk1");
  link.link_target = "https://example.com/a?b=\"c\"";
  link.inline_body.clear();
  link.content_hash.clear();
  link.stored_size = 0;
  for (const Status& st : s.InsertBatch({&burn, &link})) REQUIRE(st.ok());
  std::vector<Result<PasteRecord>> both;
  std::mutex mu;
  std::condition_variable cv;
  for (const char* l : {"Burnnn1", "Linkkk1"}) {
    s.GetLater(l, [&](Result<PasteRecord> r) {
      std::lock_guard<std::mutex> lock(mu);
      both.push_back(std::move(r));
      cv.notify_one();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return both.size() == 2; });
  }
  for (const Result<PasteRecord>& r : both) {
    REQUIRE(r.ok());
    if (r->shortlink == "Burnnn1") {
      CHECK(r->burn_after_reading);
      CHECK(r->language == "c++");
      CHECK(r->inline_body == burn.inline_body);
      CHECK(r->content_hash == burn.content_hash);
      CHECK_FALSE(r->link_target);
    } else {
      CHECK(r->shortlink == "Linkkk1");
      CHECK(r->link_target == link.link_target);
      CHECK(r->inline_body.empty());
      CHECK(r->content_hash.empty());
      CHECK_FALSE(r->burn_after_reading);
    }
  }

  // A batch with a taken shortlink: that row alone is refused.
  PasteRecord b = Paste("Bbbbbb2"), again = Paste("Aaaaaa1"), c = Paste("Cccccc3");
  auto results = s.InsertBatch({&b, &again, &c});
  REQUIRE(results.size() == 3);
  CHECK(results[0].ok());
  CHECK(results[1].code() == Code::kConflict);
  CHECK(results[1].message() == "shortlink Aaaaaa1 is taken");
  CHECK(results[2].ok());
  CHECK(s.Get("Cccccc3").ok());
  CHECK(s.Get("Aaaaaa1")->inline_body == a.inline_body);  // the first one kept

  auto totals = s.Totals();
  REQUIRE(totals.ok());
  CHECK(totals->pastes == 5);
  CHECK(totals->bytes == 500);

  auto deleted = s.Delete("Bbbbbb2");
  REQUIRE(deleted.ok());
  CHECK(deleted->shortlink == "Bbbbbb2");
  CHECK(s.Get("Bbbbbb2").status().code() == Code::kNotFound);
  CHECK(s.Delete("Bbbbbb2").status().code() == Code::kNotFound);
}

TEST_CASE("gc on two PostgreSQL nodes at once deletes every expired row exactly once") {
  PostgresServer pg;
  auto setup = PgMetadataStore::Open({pg.url(), "", "test"});
  REQUIRE(setup.ok());
  std::vector<PasteRecord> rows;
  for (int i = 0; i < 2000; ++i) {
    char link[8];
    snprintf(link, sizeof(link), "E%06d", i);
    rows.push_back(Paste(link, 1800000000 + i % 7));
  }
  rows.push_back(Paste("Keep001", 1900000000));  // not expired yet
  std::vector<const PasteRecord*> ptrs;
  for (const auto& r : rows) ptrs.push_back(&r);
  for (const Status& st : (*setup)->InsertBatch(ptrs)) REQUIRE(st.ok());

  std::vector<std::string> deleted[2];
  std::vector<std::thread> nodes;
  for (int n = 0; n < 2; ++n) {
    nodes.emplace_back([&, n] {
      auto store = PgMetadataStore::Open({pg.url(), "", "test"});
      if (!store.ok()) return;
      for (;;) {
        auto batch = (*store)->DeleteExpired(1800000100, 50);
        if (!batch.ok() || batch->empty()) return;
        for (const auto& r : *batch) deleted[n].push_back(r.shortlink);
      }
    });
  }
  for (auto& t : nodes) t.join();
  std::set<std::string> all(deleted[0].begin(), deleted[0].end());
  all.insert(deleted[1].begin(), deleted[1].end());
  CHECK(deleted[0].size() + deleted[1].size() == 2000);
  CHECK(all.size() == 2000);
  CHECK((*setup)->Get("Keep001").ok());
  CHECK((*setup)->Totals()->pastes == 1);
}

TEST_CASE("running totals in PostgreSQL add up over nodes that insert and delete") {
  PostgresServer pg;
  auto a = PgMetadataStore::Open({pg.url(), "", "a"});
  auto b = PgMetadataStore::Open({pg.url(), "", "b"});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  PasteRecord p1 = Paste("Tttttt1", 1800000000), p2 = Paste("Tttttt2"), p3 = Paste("Tttttt3");
  p2.size = 40;
  for (const Status& st : (*a)->InsertBatch({&p1, &p2})) REQUIRE(st.ok());
  REQUIRE((*b)->Insert(p3).ok());
  REQUIRE((*b)->Insert(p1).code() == Code::kConflict);  // counts nothing
  StoredTotals t = *(*b)->Totals();
  CHECK(t.pastes == 3);
  CHECK(t.bytes == 240);
  CHECK(t.stored_bytes == p1.stored_size + p2.stored_size + p3.stored_size);
  // b deletes a's paste, and gc on b collects a's expired one.
  REQUIRE((*b)->Delete("Tttttt2").ok());
  REQUIRE((*b)->DeleteExpired(1800000000, 10)->size() == 1);
  t = *(*a)->Totals();
  CHECK(t.pastes == 1);
  CHECK(t.bytes == 100);
  CHECK(t.stored_bytes == p3.stored_size);
}

TEST_CASE("a batch does not wait for the totals row of a batch still committing") {
  PostgresServer pg;
  auto store = PgMetadataStore::Open({pg.url(), "", "n"});
  REQUIRE(store.ok());
  PasteRecord p1 = Paste("Wwwwww1"), p2 = Paste("Wwwwww2");
  REQUIRE((*store)->Insert(p1).ok());
  // Another transaction holds the row the first batch added to, as a batch
  // still committing does.
  auto holder = PgConn::Open(pg.url());
  REQUIRE(holder.ok());
  REQUIRE((*holder)->Exec("BEGIN").ok());
  REQUIRE((*holder)->Exec("SELECT * FROM store_totals WHERE node = 'n' FOR UPDATE").ok());
  std::atomic<bool> done{false};
  Status inserted;
  std::thread next([&] {
    inserted = (*store)->Insert(p2);
    done = true;
  });
  // (Waiting for the row, the insert would fail in postgres_timeout, 3 s.)
  bool in_time = testing::WaitUntil([&] { return done.load(); });
  REQUIRE((*holder)->Exec("COMMIT").ok());
  next.join();
  CHECK(in_time);
  CHECK(inserted.ok());
  StoredTotals t = *(*store)->Totals();
  CHECK(t.pastes == 2);
  CHECK(t.bytes == 200);
  CHECK(t.stored_bytes == p1.stored_size + p2.stored_size);
}

// A database "replica" on pg's server stands in for a replica: it holds
// only what a test puts in it, through replica; primary writes pg's own.
struct StandInReplica {
  std::string url;
  std::unique_ptr<PgMetadataStore> primary;
  std::unique_ptr<PgMetadataStore> replica;
};
StandInReplica MakeStandInReplica(PostgresServer& pg) {
  auto admin = PgConn::Open(pg.url());
  REQUIRE(admin.ok());
  REQUIRE((*admin)->Exec("CREATE DATABASE replica").ok());
  StandInReplica out;
  out.url = "host=127.0.0.1 port=" + std::to_string(pg.port()) + " user=postgres dbname=replica";
  auto primary = PgMetadataStore::Open({pg.url(), "", "w"});
  auto replica = PgMetadataStore::Open({out.url, "", "r"});
  REQUIRE(primary.ok());
  REQUIRE(replica.ok());
  out.primary = std::move(primary).value();
  out.replica = std::move(replica).value();
  return out;
}

TEST_CASE("reads go to the replica first, and on to the primary for what it lacks") {
  PostgresServer pg;
  // A second database on the same server stands in for a replica that has
  // not caught up: it lacks what the primary has, and holds a row of its own.
  StandInReplica stand_in = MakeStandInReplica(pg);
  const std::string& replica_url = stand_in.url;
  PasteRecord fresh = Paste("Fresh01"), replayed = Paste("Replay1");
  replayed.inline_body = "as the replica has it";
  REQUIRE(stand_in.primary->Insert(fresh).ok());
  REQUIRE(stand_in.replica->Insert(replayed).ok());

  auto node = PgMetadataStore::Open({pg.url(), replica_url, "n"});
  REQUIRE(node.ok());
  CHECK((*node)->Get("Replay1")->inline_body == "as the replica has it");
  CHECK((*node)->Get("Fresh01")->inline_body == fresh.inline_body);
  CHECK((*node)->Get("Nothing").status().code() == Code::kNotFound);

  // Hearing of deletes (Forget, ForgetAll) raises the fence to the primary's
  // WAL position; this "replica" is a database of the primary's own server,
  // never behind it, so it still serves. (A replica behind the fence: the
  // cluster tests, with replay paused on a real standby.)
  (*node)->Forget("Replay1");
  (*node)->ForgetAll();
  CHECK((*node)->Get("Replay1")->inline_body == "as the replica has it");

  // A replica that cannot be reached: reads go to the primary.
  auto away = PgMetadataStore::Open(
      {pg.url(), "host=127.0.0.1 port=1 user=postgres connect_timeout=1", "n"});
  REQUIRE(away.ok());
  CHECK((*away)->Get("Fresh01")->inline_body == fresh.inline_body);
}

TEST_CASE("reads at once from many threads each get their own row, through a replica too") {
  PostgresServer pg;
  StandInReplica stand_in = MakeStandInReplica(pg);
  const std::string& replica_url = stand_in.url;
  // Reads that queue meanwhile are asked in one query, by a text[] of
  // links: links with its quotes, backslashes, commas and braces are one
  // element each.
  std::vector<std::string> links = {"Plain01", "quo\"te", "back\\slash", "com,ma",
                                    "{brace}", "sp ace",  "Plain02",     "Plain03"};
  for (size_t i = 0; i < links.size(); ++i) {
    PasteRecord r = Paste(links[i]);
    r.inline_body = "body " + std::to_string(i);
    // Every other one only the "replica" has (as if the primary had lost
    // it, which cannot happen, but tells where a read was answered).
    REQUIRE((i % 2 ? stand_in.replica : stand_in.primary)->Insert(r).ok());
  }
  for (const char* url : {"", "replica"}) {
    auto node = PgMetadataStore::Open({pg.url(), *url ? replica_url : "", "n"});
    REQUIRE(node.ok());
    constexpr int kThreads = 16, kRounds = 40;
    std::vector<std::string> wrong(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int round = 0; round < kRounds && wrong[t].empty(); ++round) {
          size_t i = static_cast<size_t>(t + round) % (links.size() + 1);
          if (i == links.size()) {  // one that is nowhere
            auto got = (*node)->Get("Nowhere");
            if (got.status().code() != Code::kNotFound) wrong[t] = "Nowhere was found";
            continue;
          }
          auto got = (*node)->Get(links[i]);
          bool on_replica_only = i % 2 == 1;
          if (on_replica_only && !*url) {
            if (got.status().code() != Code::kNotFound) wrong[t] = links[i] + " found";
          } else if (!got.ok() || got->shortlink != links[i] ||
                     got->inline_body != "body " + std::to_string(i)) {
            wrong[t] = links[i] + ": " + (got.ok() ? got->inline_body : got.status().message());
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    for (const std::string& w : wrong) CHECK(w == "");
  }
}

TEST_CASE("a PostgreSQL restart costs a node its connections, not a failed call") {
  PostgresServer pg;
  auto store = PgMetadataStore::Open({pg.url(), "", "test"});
  REQUIRE(store.ok());
  PasteRecord a = Paste("Rrrrrr1");
  REQUIRE((*store)->Insert(a).ok());
  pg.Restart();
  // The pooled connection was closed by the restart: it is left, and a
  // new one serves, so not even the first call after fails.
  auto first = (*store)->Get("Rrrrrr1");
  REQUIRE(first.ok());
  CHECK(first->inline_body == a.inline_body);
  PasteRecord b = Paste("Rrrrrr2");
  CHECK((*store)->Insert(b).ok());
  CHECK((*store)->Check().ok());
}

// True while this process has a thread named name.
bool HasThread(const std::string& name) {
  DIR* dir = opendir("/proc/self/task");
  bool found = false;
  while (dirent* e = dir ? readdir(dir) : nullptr) {
    std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string line;
    if (std::getline(comm, line) && line == name) found = true;
  }
  if (dir) closedir(dir);
  return found;
}

// The answers GetLater gave, by link.
struct Answers {
  std::map<std::string, Result<PasteRecord>> by_link;
  std::set<std::thread::id> threads;
  std::function<void(Result<PasteRecord>)> For(const std::string& link) {
    return [this, link](Result<PasteRecord> r) {
      std::lock_guard<std::mutex> lock(mu);
      by_link.insert_or_assign(link, std::move(r));
      threads.insert(std::this_thread::get_id());
    };
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu);
    return by_link.size();
  }
  std::mutex mu;
};

TEST_CASE("reads asked on an event loop go out from the loop, together, and come back on it") {
  PostgresServer pg;
  auto store = PgMetadataStore::Open({pg.url(), "", "test"});
  REQUIRE(store.ok());
  PgMetadataStore& s = **store;
  std::vector<std::string> links = {"Loop001", "Loop002", "Loop003", "Loop004"};
  for (const std::string& l : links) {
    PasteRecord r = Paste(l);
    r.inline_body = "body of " + l;
    REQUIRE(s.Insert(r).ok());
  }
  TestLoop loop;
  Answers got;
  // Asked in one round: they go out together as it ends, in one statement.
  for (const std::string& l : links) s.GetLater(l, got.For(l));
  s.GetLater("Nowhere", got.For("Nowhere"));
  CHECK(loop.watched() == 1);  // the loop's connection
  REQUIRE(loop.RunUntil([&] { return got.size() == 5; }));
  for (const std::string& l : links) {
    REQUIRE(got.by_link.at(l).ok());
    CHECK(got.by_link.at(l)->inline_body == "body of " + l);
  }
  CHECK(got.by_link.at("Nowhere").status().code() == Code::kNotFound);
  // The same link twice in a round: both get the whole row.
  Answers first_ask, second_ask;
  s.GetLater("Loop004", first_ask.For("Loop004"));
  s.GetLater("Loop004", second_ask.For("Loop004"));
  REQUIRE(loop.RunUntil([&] { return first_ask.size() == 1 && second_ask.size() == 1; }));
  for (Answers* a : {&first_ask, &second_ask}) {
    REQUIRE(a->by_link.at("Loop004").ok());
    CHECK(a->by_link.at("Loop004")->inline_body == "body of Loop004");
  }
  // Each answer on the loop's thread, and no thread of the combiner's.
  CHECK(got.threads == std::set<std::thread::id>{std::this_thread::get_id()});
  CHECK_FALSE(HasThread("pasted-pgread"));
  auto batches = s.ReadBatches();
  REQUIRE(batches);
  CHECK(batches->batches == 2);
  CHECK(batches->reads == 7);
  // A lone miss waits a round for company: one asked in the round after
  // goes out with it, in one statement.
  Answers lone, company;
  s.GetLater("Loop001", lone.For("Loop001"));
  loop.RunRound();
  s.GetLater("Loop002", company.For("Loop002"));
  REQUIRE(loop.RunUntil([&] { return lone.size() == 1 && company.size() == 1; }));
  CHECK(lone.by_link.at("Loop001")->inline_body == "body of Loop001");
  CHECK(company.by_link.at("Loop002")->inline_body == "body of Loop002");
  batches = s.ReadBatches();
  CHECK(batches->batches == 3);
  CHECK(batches->reads == 9);
  // Alone through a round that does not wait, it still goes: the answer
  // comes without another ask.
  Answers alone;
  s.GetLater("Loop003", alone.For("Loop003"));
  REQUIRE(loop.RunUntil([&] { return alone.size() == 1; }));
  CHECK(alone.by_link.at("Loop003")->inline_body == "body of Loop003");

  // A restart closes the loop's connection while it is idle: the loop
  // lets it go, and the next read is asked again, on a fresh connection.
  pg.Restart();
  REQUIRE(loop.RunUntil([&] { return loop.watched() == 0; }));
  Answers after;
  s.GetLater("Loop001", after.For("Loop001"));
  REQUIRE(loop.RunUntil([&] { return after.size() == 1; }));
  REQUIRE(after.by_link.at("Loop001").ok());
  CHECK(after.by_link.at("Loop001")->inline_body == "body of Loop001");
  // And once the pool has an idle connection again, the loop takes it.
  Answers again;
  s.GetLater("Loop002", again.For("Loop002"));
  CHECK(loop.watched() == 1);
  REQUIRE(loop.RunUntil([&] { return again.size() == 1; }));
  CHECK(again.by_link.at("Loop002")->inline_body == "body of Loop002");

  // A statement that fails (the table is away) is asked again through the
  // combiner, whose error is the answer: nothing waits for ever.
  pg.Psql("ALTER TABLE pastes RENAME TO pastes_away");
  Answers failed;
  s.GetLater("Loop003", failed.For("Loop003"));
  REQUIRE(loop.RunUntil([&] { return failed.size() == 1; }));
  CHECK_FALSE(failed.by_link.at("Loop003").ok());
  CHECK_THAT(failed.by_link.at("Loop003").status().message(),
             Catch::Contains("\"pastes\" does not exist"));
  pg.Psql("ALTER TABLE pastes_away RENAME TO pastes");
  Answers back;
  s.GetLater("Loop003", back.For("Loop003"));
  REQUIRE(loop.RunUntil([&] { return back.size() == 1; }));
  REQUIRE(back.by_link.at("Loop003").ok());
  CHECK(back.by_link.at("Loop003")->inline_body == "body of Loop003");
}

TEST_CASE(
    "an event loop asks the replica first, and the primary for what it lacks or all when behind") {
  PostgresServer pg;
  StandInReplica stand_in = MakeStandInReplica(pg);
  PasteRecord fresh = Paste("Fresh01"), replayed = Paste("Replay1");
  replayed.inline_body = "as the replica has it";
  REQUIRE(stand_in.primary->Insert(fresh).ok());
  REQUIRE(stand_in.replica->Insert(replayed).ok());
  auto node = PgMetadataStore::Open({pg.url(), stand_in.url, "n"});
  REQUIRE(node.ok());
  TestLoop loop;
  // No connection to the replica is idle yet: the first read goes through
  // the combiner, which makes one and leaves it in the pool for the loop.
  Answers warm;
  (*node)->GetLater("Replay1", warm.For("Replay1"));
  REQUIRE(loop.RunUntil([&] { return warm.size() == 1; }));
  CHECK(warm.by_link.at("Replay1")->inline_body == "as the replica has it");
  auto before = (*node)->ReadBatches();
  REQUIRE(before);
  Answers got;
  for (const char* l : {"Replay1", "Fresh01", "Nothing"}) (*node)->GetLater(l, got.For(l));
  REQUIRE(loop.RunUntil([&] { return got.size() == 3; }));
  REQUIRE(got.by_link.at("Replay1").ok());
  CHECK(got.by_link.at("Replay1")->inline_body == "as the replica has it");
  REQUIRE(got.by_link.at("Fresh01").ok());
  CHECK(got.by_link.at("Fresh01")->inline_body == fresh.inline_body);
  CHECK(got.by_link.at("Nothing").status().code() == Code::kNotFound);
  CHECK(got.threads == std::set<std::thread::id>{std::this_thread::get_id()});
  auto batches = (*node)->ReadBatches();
  REQUIRE(batches);
  // The replica's statement, and the primary's for the two it lacks.
  CHECK(batches->batches - before->batches == 2);
  CHECK(batches->reads - before->reads == 3);

  // A "replica" behind the fence: another server, whose WAL is behind the
  // primary's position when the node started. What it has is not trusted:
  // the primary answers every read, Replay1 not found there.
  PostgresServer behind;
  {
    auto seed = PgMetadataStore::Open({behind.url(), "", "seed"});
    REQUIRE(seed.ok());
    REQUIRE((*seed)->Insert(replayed).ok());
  }
  pg.Psql("CREATE TABLE filler AS SELECT generate_series(1, 300000) i");
  auto lsn = [](PostgresServer& server) {
    return std::stoull(server.Psql("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"));
  };
  REQUIRE(lsn(behind) < lsn(pg));
  auto late = PgMetadataStore::Open({pg.url(), behind.url(), "n"});
  REQUIRE(late.ok());
  REQUIRE((*late)->Get("Fresh01").ok());  // (a connection to each left idle)
  Answers from_primary;
  for (const char* l : {"Replay1", "Fresh01"}) (*late)->GetLater(l, from_primary.For(l));
  REQUIRE(loop.RunUntil([&] { return from_primary.size() == 2; }));
  CHECK(from_primary.by_link.at("Replay1").status().code() == Code::kNotFound);
  REQUIRE(from_primary.by_link.at("Fresh01").ok());
  CHECK(from_primary.by_link.at("Fresh01")->inline_body == fresh.inline_body);
  loop.Stop();  // before the stores go
}

TEST_CASE("a read on an event loop that PostgreSQL leaves unanswered fails in its timeout") {
  PostgresServer pg;
  auto store = PgMetadataStore::Open({pg.url(), "", "test", /*timeout_s=*/1});
  REQUIRE(store.ok());
  PgMetadataStore& s = **store;
  REQUIRE(s.Insert(Paste("Stuck01")).ok());
  TestLoop loop;
  Answers first;
  s.GetLater("Stuck01", first.For("Stuck01"));
  REQUIRE(loop.RunUntil([&] { return first.size() == 1; }));
  REQUIRE(first.by_link.at("Stuck01").ok());
  // Every server process stopped (not killed: nothing tells pasted).
  std::vector<int> pids;
  for (const std::string& pid :
       {pg.Psql("SELECT string_agg(pid::text, ' ') FROM pg_stat_activity")}) {
    size_t at = 0;
    while (at < pid.size()) {
      size_t end = pid.find(' ', at);
      if (end == std::string::npos) end = pid.size();
      pids.push_back(std::stoi(pid.substr(at, end - at)));
      at = end + 1;
    }
  }
  for (int pid : pids) kill(pid, SIGSTOP);
  Answers stuck;
  auto asked = std::chrono::steady_clock::now();
  s.GetLater("Stuck01", stuck.For("Stuck01"));
  bool answered = loop.RunUntil([&] { return stuck.size() == 1; });
  auto waited = std::chrono::steady_clock::now() - asked;
  for (int pid : pids) kill(pid, SIGCONT);
  REQUIRE(answered);
  CHECK(waited >= std::chrono::seconds(1));
  CHECK(waited < std::chrono::seconds(5));
  CHECK(stuck.by_link.at("Stuck01").status().code() == Code::kUnavailable);
  CHECK_THAT(stuck.by_link.at("Stuck01").status().message(),
             Catch::Contains("no answer within 1 s (postgres_timeout)"));
  CHECK(loop.watched() == 0);  // the connection was dropped

  // A loop that stops answers what it still waits for.
  Answers stopping;
  REQUIRE(s.Get("Stuck01").ok());  // (the pool has a connection again)
  s.GetLater("Stuck01", stopping.For("Stuck01"));
  REQUIRE(loop.watched() == 1);
  loop.Stop();
  REQUIRE(stopping.size() == 1);
  CHECK(stopping.by_link.at("Stuck01").status().message() == "pasted is stopping");
}

TEST_CASE("PostgreSQL reads leave bodies over 64 KiB in the table until they are asked for") {
  PostgresServer pg;
  auto store = PgMetadataStore::Open({pg.url(), "", "test"});
  REQUIRE(store.ok());
  PgMetadataStore& s = **store;
  PasteRecord big = Paste("Bigbig1"), small = Paste("Small11"), edge = Paste("Edge111");
  big.inline_body.clear();
  for (int i = 0; i < (100 << 10); ++i) big.inline_body.push_back(static_cast<char>(i * 7 % 256));
  big.stored_size = static_cast<int64_t>(big.inline_body.size());
  big.size = big.stored_size;
  edge.inline_body = std::string(PgMetadataStore::kBodyInRowBytes, '\0');
  edge.stored_size = PgMetadataStore::kBodyInRowBytes;
  for (const Status& inserted : s.InsertBatch({&big, &small, &edge})) REQUIRE(inserted.ok());

  auto got = s.Get("Bigbig1");
  REQUIRE(got.ok());
  CHECK(got->body_left_out);
  CHECK(got->inline_body.empty());
  CHECK(got->stored_size == big.stored_size);
  auto body = s.ReadInlineBody("Bigbig1");
  REQUIRE(body.ok());
  CHECK(*body == big.inline_body);  // every byte value, in binary

  for (const PasteRecord* kept : {&small, &edge}) {
    auto row = s.Get(kept->shortlink);
    REQUIRE(row.ok());
    CHECK_FALSE(row->body_left_out);
    CHECK(row->inline_body == kept->inline_body);
  }
  // A burn or a delete still returns the whole body.
  auto deleted = s.Delete("Bigbig1");
  REQUIRE(deleted.ok());
  CHECK(deleted->inline_body == big.inline_body);
  CHECK(s.ReadInlineBody("Bigbig1").status().code() == Code::kNotFound);
}

}  // namespace
}  // namespace pastebin
