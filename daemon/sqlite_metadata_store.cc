#include "daemon/sqlite_metadata_store.h"

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
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) ==
              SqliteMetadataStore::kSchemaVersion);

constexpr char kSelectColumns[] =
    "SELECT shortlink, created_at, expiration_length_in_minutes, expires_at,"
    " paste_path, size, delete_token_hash FROM pastes";

PasteRecord RecordFromRow(const SqliteStmt& s) {
  PasteRecord r;
  r.shortlink = s.Text(0);
  r.created_at = s.Int(1);
  r.expiration_length_in_minutes = s.Int(2);
  if (!s.IsNull(3)) r.expires_at = s.Int(3);
  r.paste_path = s.Text(4);
  r.size = s.Int(5);
  r.delete_token_hash = s.Text(6);
  return r;
}

}  // namespace

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::Open(
    const std::string& path) {
  std::unique_ptr<SqliteMetadataStore> store(new SqliteMetadataStore(path));
  Status s = store->Init();
  if (!s.ok()) return s;
  return store;
}

SqliteMetadataStore::~SqliteMetadataStore() = default;

Status SqliteMetadataStore::Init() {
  auto db = SqliteDb::Open(path_, /*create=*/true);
  if (!db.ok()) return db.status();
  writer_ = std::move(db).value();
  // WAL: readers do not block the writer nor the writer readers.
  // synchronous=FULL: in WAL mode NORMAL may lose the last commits on power
  // loss; a 201 promises durability, so every commit is synced.
  Status s = writer_->Exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
  if (!s.ok()) return s;

  auto version = writer_->QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) {
    return Status(Code::kInternal,
                  "database " + path_ + " has schema version " +
                      std::to_string(*version) + ", newer than this pasted (" +
                      std::to_string(kSchemaVersion) +
                      "); upgrade pasted or use another data dir");
  }
  for (int64_t v = *version; v < kSchemaVersion; ++v) {
    s = writer_->Exec(std::string("BEGIN IMMEDIATE;") + kMigrations[v] +
                      "PRAGMA user_version = " + std::to_string(v + 1) +
                      "; COMMIT;");
    if (!s.ok()) {
      writer_->Exec("ROLLBACK;");
      return s;
    }
  }

  auto insert = writer_->Prepare(
      "INSERT INTO pastes (shortlink, created_at, expiration_length_in_minutes,"
      " expires_at, paste_path, size, delete_token_hash)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.status();
  insert_ = std::move(insert).value();
  return Status::Ok();
}

Status SqliteMetadataStore::Insert(const PasteRecord& r) {
  std::lock_guard<std::mutex> lock(write_mu_);
  SqliteStmt& st = *insert_;
  st.BindText(1, r.shortlink);
  st.BindInt(2, r.created_at);
  st.BindInt(3, r.expiration_length_in_minutes);
  if (r.expires_at) {
    st.BindInt(4, *r.expires_at);
  } else {
    st.BindNull(4);
  }
  st.BindText(5, r.paste_path);
  st.BindInt(6, r.size);
  st.BindText(7, r.delete_token_hash);
  auto step = st.Next();
  st.Reset();
  if (!step.ok()) {
    if (step.status().code() == Code::kConflict) {
      return Status(Code::kConflict, "shortlink " + r.shortlink + " is taken");
    }
    return step.status();
  }
  return Status::Ok();
}

Result<std::unique_ptr<SqliteMetadataStore::Reader>>
SqliteMetadataStore::CheckoutReader() {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    if (!idle_readers_.empty()) {
      auto r = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return r;
    }
  }
  auto db = SqliteDb::Open(path_, /*create=*/false);
  if (!db.ok()) return db.status();
  auto reader = std::make_unique<Reader>();
  reader->db = std::move(db).value();
  auto get = reader->db->Prepare(std::string(kSelectColumns) +
                                 " WHERE shortlink = ?1");
  if (!get.ok()) return get.status();
  reader->get = std::move(get).value();
  return reader;
}

void SqliteMetadataStore::ReturnReader(std::unique_ptr<Reader> reader) {
  std::lock_guard<std::mutex> lock(readers_mu_);
  idle_readers_.push_back(std::move(reader));
}

Result<PasteRecord> SqliteMetadataStore::Get(std::string_view shortlink) {
  auto reader = CheckoutReader();
  if (!reader.ok()) return reader.status();
  SqliteStmt& st = *(*reader)->get;
  st.BindText(1, shortlink);
  auto step = st.Next();
  Result<PasteRecord> result =
      !step.ok() ? Result<PasteRecord>(step.status())
      : *step == SqliteStmt::Step::kRow
          ? Result<PasteRecord>(RecordFromRow(st))
          : Result<PasteRecord>(
                NotFound("paste " + std::string(shortlink) +
                         " does not exist or has expired"));
  st.Reset();
  ReturnReader(std::move(reader).value());
  return result;
}

Status SqliteMetadataStore::Check() {
  auto reader = CheckoutReader();
  if (!reader.ok()) return reader.status();
  auto n = (*reader)->db->QueryInt("SELECT count(*) FROM sqlite_master");
  ReturnReader(std::move(reader).value());
  return n.ok() ? Status::Ok() : n.status();
}

}  // namespace pastebin
