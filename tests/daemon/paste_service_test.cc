#include "daemon/paste_service.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>

#include "daemon/content_dir.h"
#include "daemon/sqlite_metadata_store.h"
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
  Result<PasteRecord> Get(std::string_view) override { return NotFound("no"); }
  Status Check() override { return Status::Ok(); }
  int inserts = 0;

 private:
  Status status_;
};

struct Fixture {
  TempDir dir;
  FakeClock clock{kNow};
  std::unique_ptr<SqliteMetadataStore> metadata =
      std::move(SqliteMetadataStore::Open(dir / "pastes.db")).value();
  std::unique_ptr<ContentDir> bodies =
      std::move(ContentDir::Open(dir.path(), SystemRandom())).value();
  PasteService service{*metadata, *bodies, clock, SystemRandom(), PasteLimits{}};

  size_t BodyFiles() { return ListFiles(dir / "content").size(); }
};

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
  CHECK(paste->contents == text);
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
  CHECK(gone.status().message() == "paste " + created->record.shortlink +
                                       " does not exist or has expired");
}

TEST_CASE("a shortlink collision is retried with a new link") {
  Fixture f;
  // Two services drawing the same random sequence: the second one's first
  // shortlink is the first one's, so its insert conflicts and retries.
  SeededRandom first_random(42), second_random(42);
  PasteService first(*f.metadata, *f.bodies, f.clock, first_random, {});
  PasteService second(*f.metadata, *f.bodies, f.clock, second_random, {});
  auto a = first.Create("first", 0);
  auto b = second.Create("second", 0);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->record.shortlink != b->record.shortlink);
  CHECK(f.service.Get(a->record.shortlink)->contents == "first");
  CHECK(f.service.Get(b->record.shortlink)->contents == "second");
}

TEST_CASE("refused pastes leave no body behind") {
  Fixture f;
  PasteService small(*f.metadata, *f.bodies, f.clock, SystemRandom(),
                     PasteLimits{10});
  SECTION("too large") {
    auto r = small.Create("12345678901", 0);
    CHECK(r.status().code() == Code::kTooLarge);
    CHECK(r.status().message() ==
          "paste is 11 bytes, over this server's limit of 10 bytes; split it "
          "or ask the operator to raise max_paste_bytes");
    CHECK(small.Create("1234567890", 0).ok());  // exactly the limit is fine
    CHECK(f.BodyFiles() == 1);
    return;
  }
  SECTION("not text") {
    CHECK(small.Create(std::string("a\0b", 3), 0).status().code() ==
          Code::kNotText);
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
  CHECK(f.BodyFiles() == 0);
}

TEST_CASE("a failed insert removes the body it wrote") {
  Fixture f;
  FailingMetadata failing(Internal("disk I/O error"));
  PasteService service(failing, *f.bodies, f.clock, SystemRandom(), {});
  auto r = service.Create("lost", 0);
  CHECK(r.status().code() == Code::kInternal);
  CHECK(failing.inserts == 1);
  CHECK(f.BodyFiles() == 0);
}

TEST_CASE("endless shortlink conflicts give up cleanly") {
  Fixture f;
  FailingMetadata full(Status(Code::kConflict, "taken"));
  PasteService service(full, *f.bodies, f.clock, SystemRandom(), {});
  auto r = service.Create("nowhere to go", 0);
  CHECK(r.status().code() == Code::kUnavailable);
  CHECK(r.status().message() == "could not find a free shortlink; try again");
  CHECK(full.inserts == 8);
  CHECK(f.BodyFiles() == 0);
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
