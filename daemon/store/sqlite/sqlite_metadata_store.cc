#include "daemon/store/sqlite/sqlite_metadata_store.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "common/shortlink.h"
#include "daemon/base/log.h"
#include "daemon/base/loop_watch.h"
#include "daemon/store/sqlite/nowait_vfs.h"
#include "daemon/store/sqlite/page_fetcher.h"
#include "daemon/store/sqlite/schema.h"

namespace pastebin {
namespace {

// A row's columns, its inline body last: the body, or NULL for batch
// deletes, which need none.
std::string RowColumns(bool with_body) {
  return std::string(
             "SELECT shortlink, created_at, expiration_length_in_minutes, expires_at,"
             " paste_path, size, delete_token_hash, link_target, codec, stored_size,"
             " content_hash, burn, lang, ") +
         (with_body ? "body" : "NULL");
}
std::string SelectRow(bool with_body) { return RowColumns(with_body) + " FROM pastes"; }

PasteRecord RecordFromRow(const SqliteStmt& s) {
  PasteRecord r;
  r.shortlink = s.Text(0);
  r.created_at = s.Int(1);
  r.expiration_length_in_minutes = s.Int(2);
  if (!s.IsNull(3)) r.expires_at = s.Int(3);
  r.paste_path = s.Text(4);
  r.size = s.Int(5);
  r.delete_token_hash = s.Text(6);
  if (!s.IsNull(7)) r.link_target = s.Text(7);
  r.codec = static_cast<BodyCodec>(s.Int(8));
  r.stored_size = s.IsNull(9) ? r.size : s.Int(9);
  if (!s.IsNull(10)) r.content_hash = s.Blob(10);
  r.burn_after_reading = s.Int(11) != 0;
  if (!s.IsNull(12)) r.language = s.Text(12);
  if (!s.IsNull(13)) r.inline_body = s.Blob(13);
  return r;
}

// Where a statement finds the row of link ?1: by the row's number (?N, which
// BindLink binds) when the store made the link (keyed links:
// link_cipher.h), else in the index of the links made before those and the
// links brought in (keyed = 0). A row found by number must carry the link
// too: the cipher maps any link of the alphabet to some number.
std::string ByLink(int number_at = 2) {
  const std::string number = "?" + std::to_string(number_at);
  return " WHERE id = coalesce((SELECT id FROM pastes WHERE id = " + number +
         " AND shortlink = ?1), (SELECT id FROM pastes WHERE shortlink = ?1 AND keyed = 0))";
}

// The row st selects (with SelectRow, its link bound), or kNotFound.
Result<PasteRecord> SelectOne(SqliteStmt& st, std::string_view shortlink) {
  auto step = st.Next();
  Result<PasteRecord> out = !step.ok() ? Result<PasteRecord>(step.status())
                            : *step == SqliteStmt::Step::kRow
                                ? Result<PasteRecord>(RecordFromRow(st))
                                : Result<PasteRecord>(NoSuchPaste(shortlink));
  st.Reset();
  return out;
}

}  // namespace

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::Open(const std::string& path,
                                                                       int64_t wal_limit,
                                                                       bool may_move) {
  std::unique_ptr<SqliteMetadataStore> store(new SqliteMetadataStore(path, wal_limit));
  store->makes_links_ = may_move;
  Status s = store->Init(may_move);
  if (!s.ok()) return s;
  return store;
}

struct SqliteMetadataStore::LoopFetches {
  struct Waiting {
    std::string link;
    std::function<void(Result<PasteRecord>)> done;
    int fetches = 0;  // pages read in for it so far
  };
  std::unique_ptr<PageFetcher> fetcher;  // null: io_uring cannot be had
  std::map<uint64_t, Waiting> waiting;   // by the tag of the read it waits for
  uint64_t next_tag = 0;
};

SqliteMetadataStore::SqliteMetadataStore(std::string path, int64_t wal_limit)
    : path_(std::move(path)), wal_limit_(wal_limit) {}

SqliteMetadataStore::~SqliteMetadataStore() {
  // Before the checkpointer's last checkpoint, which would wait for them.
  for (auto& h : held_) EndRead(*h.reader);
}

Status SqliteMetadataStore::Init(bool may_move) {
  auto db = SqliteDb::Open(path_, /*create=*/true);
  if (!db.ok()) return db.status();
  writer_ = std::move(db).value();
  // auto_vacuum is decided when the file is made: off. Pages freed by gc
  // are reused by new pastes; the file keeps its largest size (VACUUM
  // offline gives the space back).
  Status s = writer_->Exec("PRAGMA auto_vacuum = NONE;");
  if (!s.ok()) return s;
  // WAL: readers do not block the writer nor the writer readers.
  // synchronous=FULL: in WAL mode NORMAL may lose the last commits on power
  // loss; a 201 promises durability, so every commit is synced.
  // Checkpoints run on their own thread (WalCheckpointer), never inside a
  // commit, and keep the WAL under wal_limit_; the file is cut back to
  // journal_size_limit each time the WAL starts over.
  // secure_delete off: freed pages are not zeroed (one write less each).
  // The page cache stays SQLite's 2 MiB: 8 and 32 MiB saved the writer
  // re-reading leaves, but every commit scans the whole cache's hash
  // (pcache1's truncate), and with the sync on a thread of its own the
  // rate was the same, among 0 or 1 M pastes alike.
  s = writer_->Exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
      " PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = " +
      std::to_string(wal_limit_) + "; PRAGMA secure_delete = OFF;");
  if (!s.ok()) return s;

  s = MigrateSchema(*writer_, kSchemaVersion, /*move_batches=*/-1, may_move);
  if (!s.ok()) return s;
  s = LoadLinkKey();
  if (!s.ok()) return s;
  auto checkpointer = WalCheckpointer::Start(path_, wal_limit_);
  if (!checkpointer.ok()) return checkpointer.status();
  checkpointer_ = std::move(checkpointer).value();
  checkpointer_->Watch(*writer_);

  struct {
    std::unique_ptr<SqliteStmt>* stmt;
    std::string sql;
  } const statements[] = {
      {&insert_,
       "INSERT INTO pastes (shortlink, created_at,"
       " expiration_length_in_minutes, expires_at, paste_path, size,"
       " delete_token_hash, link_target, body, codec, stored_size, content_hash, burn, lang,"
       " id, keyed)"
       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"},
      {&move_inline_, "UPDATE pastes SET body = ?2, codec = ?3, stored_size = ?4, paste_path = ''" +
                          ByLink(6) + " AND paste_path = ?5"},
      {&writer_get_, SelectRow(/*with_body=*/true) + ByLink()},
      {&delete_, "DELETE FROM pastes" + ByLink()},
      {&link_taken_, "SELECT 1 FROM pastes" + ByLink()},
      {&select_expired_, SelectRow(/*with_body=*/false) +
                             " WHERE expires_at <= ?1 ORDER BY expires_at"
                             " LIMIT ?2"},
      {&select_by_path_, SelectRow(/*with_body=*/false) + " WHERE paste_path = ?1"},
      {&select_small_files_,
       SelectRow(/*with_body=*/false) + " WHERE paste_path <> '' AND size < ?1 LIMIT ?2"},
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
  };
  for (const auto& entry : statements) {
    auto st = writer_->Prepare(entry.sql);
    if (!st.ok()) return st.status();
    *entry.stmt = std::move(st).value();
  }
  return Status::Ok();
}

Status SqliteMetadataStore::LoadLinkKey() {
  // Made once, with the file (or the first start after version 12): OR
  // IGNORE keeps the key another opener made first.
  auto key = NewLinkKey();
  if (!key.ok()) return key.status();
  auto add =
      writer_->Prepare("INSERT OR IGNORE INTO link_key (id, key, next_id) VALUES (1, ?1, 1)");
  if (!add.ok()) return add.status();
  (*add)->BindBlob(1, *key);
  Status s = (*add)->Run();
  if (!s.ok()) return s;
  // Past every row, and past every keyed row deleted (pastes_next_id).
  auto get = writer_->Prepare(
      "SELECT key, max(next_id, (SELECT coalesce(max(id), 0) + 1 FROM pastes)) FROM link_key");
  if (!get.ok()) return get.status();
  auto step = (*get)->Next();
  if (!step.ok()) return step.status();
  if (*step != SqliteStmt::Step::kRow) return Internal(path_ + " has no link key");
  auto cipher = LinkCipher::Make((*get)->Blob(0));
  if (!cipher.ok()) return cipher.status();
  cipher_ = std::move(cipher).value();
  next_id_ = (*get)->Int(1);
  (*get)->Reset();
  return Status::Ok();
}

std::optional<KeyedLink> SqliteMetadataStore::MakeLink(size_t length) {
  length = std::clamp(length, kShortlinkLength, kMaxShortlinkLength);
  for (;;) {
    const int64_t id = next_id_.fetch_add(1);
    std::string link = cipher_->LinkOf(static_cast<uint64_t>(id), length);
    if (!IsReservedShortlink(link)) return KeyedLink{std::move(link), id};
  }
}

bool SqliteMetadataStore::BindLink(SqliteStmt& st, std::string_view shortlink,
                                   int number_at) const {
  st.BindText(1, shortlink);
  std::optional<uint64_t> number = cipher_->NumberOf(shortlink);
  // In the one process that makes links, a number it has not handed out
  // has no row: a link from elsewhere goes straight to the index.
  if (number && (!makes_links_ || static_cast<int64_t>(*number) < next_id_.load())) {
    st.BindInt(number_at, static_cast<int64_t>(*number));
    return true;
  }
  st.BindNull(number_at);
  return false;
}

template <typename T, typename Fn>
Result<T> SqliteMetadataStore::InWriteTransaction(Fn fn) {
  std::lock_guard<std::mutex> lock(write_mu_);
  Status s = begin_->Run();
  if (!s.ok()) return s;
  Result<T> out = fn();
  s = out.ok() ? commit_->Run() : Status::Ok();
  if (!out.ok() || !s.ok()) {
    rollback_->Run();
    if (!s.ok()) return s;
  }
  checkpointer_->RestartIfDue();
  return out;
}

template <typename T, typename Fn>
Result<T> SqliteMetadataStore::WithReader(Fn fn) {
  auto reader = CheckoutReader();
  if (!reader.ok()) return reader.status();
  Result<T> out = fn(**reader);
  ReturnReader(std::move(reader).value());
  return out;
}

Status SqliteMetadataStore::InsertLocked(const PasteRecord& r) {
  auto taken = [&] { return Status(Code::kConflict, "shortlink " + r.shortlink + " is taken"); };
  // Any row's link is taken: one the cipher made, or one in the index (a
  // link brought in may be what the cipher makes of a later number, and
  // that number's paste must then take another).
  if (r.row_id > 0) {  // MakeLink's: its number is known, not decrypted again
    link_taken_->BindText(1, r.shortlink);
    link_taken_->BindInt(2, r.row_id);
  } else {
    BindLink(*link_taken_, r.shortlink);
  }
  auto found = link_taken_->Next();
  link_taken_->Reset();
  if (!found.ok()) return found.status();
  if (*found == SqliteStmt::Step::kRow) return taken();
  // A body kept inline goes in its row; a file body's row names its file,
  // and a short link has no body (NULL).
  bool has_inline = r.paste_path.empty() && !r.link_target;
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
  if (r.link_target) {
    st.BindText(8, *r.link_target);
  } else {
    st.BindNull(8);
  }
  if (has_inline) {
    st.BindBlob(9, r.inline_body);  // an empty body is a blob, not NULL
  } else {
    st.BindNull(9);
  }
  st.BindInt(10, static_cast<int64_t>(r.codec));
  st.BindInt(11, r.stored_size);
  if (r.content_hash.empty()) {
    st.BindNull(12);
  } else {
    st.BindBlob(12, r.content_hash);
  }
  st.BindInt(13, r.burn_after_reading ? 1 : 0);
  if (r.language.empty()) {
    st.BindNull(14);
  } else {
    st.BindText(14, r.language);
  }
  // A keyed link goes in the row of its number, marked keyed (outside the
  // index); any other in the next row, and in the index.
  if (r.row_id > 0) {
    st.BindInt(15, r.row_id);
  } else {
    st.BindNull(15);
  }
  st.BindInt(16, r.row_id > 0 ? 1 : 0);
  Status s = st.Run();
  if (s.code() == Code::kConflict) {
    // Another process (pasted import) may have taken the number: MakeLink
    // goes on past the last row.
    if (r.row_id > 0) {
      auto last = writer_->QueryInt("SELECT coalesce(max(id), 0) FROM pastes");
      if (last.ok()) RaiseNextId(*last + 1);
    }
    return taken();
  }
  if (s.ok() && r.row_id == 0) RaiseNextId(writer_->LastInsertRowid() + 1);
  return s;
}

void SqliteMetadataStore::RaiseNextId(int64_t at_least) {
  int64_t now = next_id_.load();
  while (now < at_least && !next_id_.compare_exchange_weak(now, at_least)) {
  }
}

Status SqliteMetadataStore::Insert(const PasteRecord& r) {
  // A transaction of its own: the check that its link is free and the row.
  std::lock_guard<std::mutex> lock(write_mu_);
  return InsertBatchLocked({&r})[0];
}

std::vector<Status> SqliteMetadataStore::InsertBatch(
    const std::vector<const PasteRecord*>& records) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return InsertBatchLocked(records);
}

std::vector<Status> SqliteMetadataStore::InsertBatchUnsynced(
    const std::vector<const PasteRecord*>& records, bool* sync_needed) {
  std::lock_guard<std::mutex> lock(write_mu_);
  // This commit only: every other write (deletes, burns, gc) syncs its own
  // commit, and with it any of these written before. A pragma takes effect
  // when it is prepared, so it is run afresh each time.
  Status s = writer_->Exec("PRAGMA synchronous = NORMAL;");
  if (!s.ok()) return std::vector<Status>(records.size(), s);
  std::vector<Status> out = InsertBatchLocked(records);
  s = writer_->Exec("PRAGMA synchronous = FULL;");
  if (!s.ok()) {
    // The rows are durable once synced, but the writes after them would
    // not be: stop rather than acknowledge those.
    checkpointer_->SyncWal();
    LogError("cannot set the database connection back to synchronous = FULL (" + s.message() +
             "); pasted stops rather than acknowledge writes it did not sync");
    _exit(EXIT_FAILURE);
  }
  *sync_needed = true;
  return out;
}

void SqliteMetadataStore::SyncCommits() { checkpointer_->SyncWal(); }

std::vector<Status> SqliteMetadataStore::InsertBatchLocked(
    const std::vector<const PasteRecord*>& records) {
  std::vector<Status> out;
  out.reserve(records.size());
  auto failed = [&](const Status& s) { return std::vector<Status>(records.size(), s); };
  Status s = begin_->Run();
  if (!s.ok()) return failed(s);
  for (const PasteRecord* r : records) {
    // A constraint failure undoes only its own statement, so the other rows
    // of the batch still commit.
    Status one = InsertLocked(*r);
    if (!one.ok() && one.code() != Code::kConflict) {
      rollback_->Run();
      return failed(one);
    }
    out.push_back(one);
  }
  s = commit_->Run();
  if (!s.ok()) {
    rollback_->Run();
    return failed(s);
  }
  checkpointer_->RestartIfDue();
  return out;
}

Result<PasteRecord> SqliteMetadataStore::Delete(std::string_view shortlink) {
  return InWriteTransaction<PasteRecord>([&]() -> Result<PasteRecord> {
    BindLink(*writer_get_, shortlink);
    auto record = SelectOne(*writer_get_, shortlink);
    if (!record.ok()) return record;
    BindLink(*delete_, shortlink);
    Status s = delete_->Run();
    if (!s.ok()) return s;
    return record;
  });
}

Result<std::vector<PasteRecord>> SqliteMetadataStore::DeleteSelectedLocked(SqliteStmt& select) {
  std::vector<PasteRecord> out;
  for (;;) {
    auto step = select.Next();
    if (!step.ok()) {
      select.Reset();
      return step.status();
    }
    if (*step == SqliteStmt::Step::kDone) break;
    out.push_back(RecordFromRow(select));
  }
  select.Reset();
  for (const PasteRecord& r : out) {
    BindLink(*delete_, r.shortlink);
    Status s = delete_->Run();
    if (!s.ok()) return s;
  }
  return out;
}

Result<std::vector<PasteRecord>> SqliteMetadataStore::DeleteExpired(int64_t now, size_t limit) {
  return InWriteTransaction<std::vector<PasteRecord>>([&] {
    select_expired_->BindInt(1, now);
    select_expired_->BindInt(2, static_cast<int64_t>(limit));
    return DeleteSelectedLocked(*select_expired_);
  });
}

Result<std::vector<PasteRecord>> SqliteMetadataStore::FileBodiesBelow(int64_t size, size_t limit) {
  std::lock_guard<std::mutex> lock(write_mu_);
  SqliteStmt& st = *select_small_files_;
  st.BindInt(1, size);
  st.BindInt(2, static_cast<int64_t>(limit));
  std::vector<PasteRecord> out;
  for (;;) {
    auto step = st.Next();
    if (!step.ok()) return step.status();
    if (*step == SqliteStmt::Step::kDone) break;
    out.push_back(RecordFromRow(st));
  }
  st.Reset();
  return out;
}

Status SqliteMetadataStore::MoveBodiesInline(const std::vector<PasteRecord>& records) {
  if (records.empty()) return Status::Ok();
  auto moved = InWriteTransaction<bool>([&]() -> Result<bool> {
    for (const PasteRecord& r : records) {
      // A row deleted or changed meanwhile is left as it is.
      BindLink(*move_inline_, r.shortlink, 6);
      move_inline_->BindBlob(2, r.inline_body);
      move_inline_->BindInt(3, static_cast<int64_t>(r.codec));
      move_inline_->BindInt(4, r.stored_size);
      move_inline_->BindText(5, r.paste_path);
      Status s = move_inline_->Run();
      if (!s.ok()) return s;
    }
    return true;
  });
  return moved.ok() ? Status::Ok() : moved.status();
}

Result<std::vector<PasteRecord>> SqliteMetadataStore::DeleteByPastePath(const std::string& path) {
  return InWriteTransaction<std::vector<PasteRecord>>([&] {
    select_by_path_->BindText(1, path);
    return DeleteSelectedLocked(*select_by_path_);
  });
}

Result<std::unique_ptr<SqliteMetadataStore::Reader>> SqliteMetadataStore::CheckoutReader(
    bool nowait) {
  {
    std::lock_guard<std::mutex> lock(readers_mu_);
    auto& idle = nowait ? idle_nowait_readers_ : idle_readers_;
    if (!idle.empty()) {
      auto r = std::move(idle.back());
      idle.pop_back();
      return r;
    }
  }
  auto db = SqliteDb::Open(path_, /*create=*/false, nowait ? NowaitVfsName() : RandomVfsName());
  if (!db.ok()) return db.status();
  auto reader = std::make_unique<Reader>();
  reader->db = std::move(db).value();
  // A no-wait reader never waits for a lock either: a busy database sends
  // its lookup to a worker.
  if (nowait) reader->db->SetBusyTimeout(0);
  // Readers read() their pages rather than map the file: a fault on a
  // mapping reads around it by the device's readahead (4 MiB on this
  // machine's disk), and with the server around it the mapping gained
  // nothing warm (28.5k vs 27.5k cold-cache reads/s among 1 M pastes) and
  // lost cold (27.3k vs 23.8k after drop_caches). Mapped, with each page
  // offered to the loops only when mincore said it was in memory, the
  // loops' reads cost more (29.6 against 26.1 us a cold read among 1 M).
  // Both kinds open the file advised random (nowait_vfs.h): a lookup's
  // pages, no readahead around them.
  // ByLink as two statements, for the lookups that matter: a keyed link's
  // row is read by its number alone, and another link (older, imported)
  // goes to the index alone.
  auto get =
      reader->db->Prepare(SelectRow(/*with_body=*/true) + " WHERE id = ?2 AND shortlink = ?1");
  if (!get.ok()) return get.status();
  reader->get = std::move(get).value();
  auto indexed =
      reader->db->Prepare(SelectRow(/*with_body=*/true) + " WHERE shortlink = ?1 AND keyed = 0");
  if (!indexed.ok()) return indexed.status();
  reader->get_indexed = std::move(indexed).value();
  if (nowait) {
    auto begin = reader->db->Prepare("BEGIN");
    if (!begin.ok()) return begin.status();
    reader->begin = std::move(begin).value();
    auto rollback = reader->db->Prepare("ROLLBACK");
    if (!rollback.ok()) return rollback.status();
    reader->rollback = std::move(rollback).value();
    return reader;
  }
  // A range on the paste_path index: prefix <= paste_path < prefix + '\xff'.
  auto paths = reader->db->Prepare(
      "SELECT paste_path FROM pastes WHERE paste_path <> '' AND paste_path >= ?1 AND"
      " paste_path < ?1 || char(127)");
  if (!paths.ok()) return paths.status();
  reader->paths_with_prefix = std::move(paths).value();
  return reader;
}

void SqliteMetadataStore::ReturnReader(std::unique_ptr<Reader> reader, bool nowait) {
  std::lock_guard<std::mutex> lock(readers_mu_);
  (nowait ? idle_nowait_readers_ : idle_readers_).push_back(std::move(reader));
}

Result<PasteRecord> SqliteMetadataStore::Lookup(Reader& r, std::string_view shortlink) {
  if (BindLink(*r.get, shortlink)) {
    Result<PasteRecord> keyed = SelectOne(*r.get, shortlink);
    if (keyed.ok() || keyed.status().code() != Code::kNotFound) return keyed;
  }
  r.get_indexed->BindText(1, shortlink);
  return SelectOne(*r.get_indexed, shortlink);
}

std::unique_ptr<SqliteMetadataStore::Reader> SqliteMetadataStore::TakeHeldReader() {
  const std::thread::id me = std::this_thread::get_id();
  std::lock_guard<std::mutex> lock(readers_mu_);
  for (auto& h : held_) {
    if (h.thread != me) continue;
    std::unique_ptr<Reader> r = std::move(h.reader);
    h = std::move(held_.back());
    held_.pop_back();
    return r;
  }
  return nullptr;
}

void SqliteMetadataStore::EndRead(Reader& r) {
  if (!r.reading) return;
  r.reading = false;
  // A read transaction: nothing to undo. An error (an I/O error may have
  // ended it already) leaves the connection in autocommit all the same.
  (void)r.rollback->Run();
}

Result<PasteRecord> SqliteMetadataStore::GetWithoutWaiting(std::string_view shortlink) {
  ClearDiskWouldBlock();
  // Read before the transaction begins: a commit after it makes the next
  // lookup begin again.
  const uint64_t commits = checkpointer_->commits();
  std::unique_ptr<Reader> reader = TakeHeldReader();
  if (reader == nullptr) {
    auto pooled = CheckoutReader(/*nowait=*/true);
    if (!pooled.ok()) {
      // Preparing reads the schema: its pages may not be in memory either.
      if (DiskWouldBlock()) return Status(Code::kWouldBlock, "the schema is not in memory");
      return pooled.status();
    }
    reader = std::move(pooled).value();
  }
  // One read transaction for the thread's lookups until the writer commits
  // or ReleaseReads: each lookup on its own would take and drop SQLite's
  // locks (fcntl on the -shm file, fstat of the database) every time. Not
  // while a restart of the WAL is near: it waits for every reader of the
  // WAL to leave, and loops that each held a read for a round of requests
  // left it no moment (writes stalled for the restart's wait, 0.5 s at
  // p99, and the WAL outgrew its limit fivefold under reads and writes).
  const bool hold = !checkpointer_->restart_near();
  if (!hold || reader->commits != commits) EndRead(*reader);  // none open: nothing to end
  Status begun = Status::Ok();
  if (hold && !reader->reading) {
    begun = reader->begin->Run();
    reader->reading = begun.ok();
    reader->commits = commits;
    reader->rounds = 0;
  }
  Result<PasteRecord> out = begun.ok() ? Lookup(*reader, shortlink) : Result<PasteRecord>(begun);
  if (out.ok() || out.status().code() == Code::kNotFound) {
    if (!hold) {
      ReturnReader(std::move(reader), /*nowait=*/true);
      return out;
    }
    std::lock_guard<std::mutex> lock(readers_mu_);
    held_.push_back({std::this_thread::get_id(), std::move(reader)});
    return out;
  }
  EndRead(*reader);
  // Pages not in memory, a busy database, or an error: a worker asks again
  // through the ordinary VFS (and reports a real error). A reader that
  // failed for another reason is not kept.
  if (DiskWouldBlock() || out.status().code() == Code::kUnavailable) {
    ReturnReader(std::move(reader), /*nowait=*/true);
  }
  return Status(Code::kWouldBlock, "the paste's pages are not in memory, or the database is busy");
}

SqliteMetadataStore::LoopFetches* SqliteMetadataStore::FetchesOf(LoopWatch* loop) {
  bool made;
  LoopFetches* f = fetches_.Of(loop, &made);
  if (!made) return f;
  auto started = PageFetcher::Start(*loop, [this, f](uint64_t tag) { OnFetched(*f, tag); });
  if (started.ok()) {
    f->fetcher = std::move(started).value();
  } else {
    static std::once_flag told;
    std::call_once(told, [&] {
      LogInfo("pages of the database on the disk are read by reader threads: " +
              started.status().message());
    });
  }
  loop->EachRound([this, f, loop](bool stopping) {
    if (!stopping) return;
    // Its reads finish first (they write into the fetcher's buffers).
    f->fetcher.reset();
    for (auto& [tag, w] : f->waiting) w.done(Status(Code::kUnavailable, "pasted is stopping"));
    f->waiting.clear();
    fetches_.Stop(loop);
  });
  return f;
}

bool SqliteMetadataStore::FetchMissed(LoopFetches& f, uint64_t tag) {
  const BlockedRead missed = LastBlockedRead();
  if (missed.file == BlockedRead::File::kNone || !f.fetcher) return false;
  int fd = missed.file == BlockedRead::File::kWal ? checkpointer_->wal_fd()
                                                  : checkpointer_->database_fd();
  if (!f.fetcher->Fetch(fd, missed.offset, missed.amount, tag)) return false;
  page_fetches_++;
  return true;
}

bool SqliteMetadataStore::GetLater(std::string_view shortlink,
                                   std::function<void(Result<PasteRecord>)> done) {
  LoopWatch* loop = LoopWatch::Current();
  if (loop == nullptr || LastBlockedRead().file == BlockedRead::File::kNone) return false;
  LoopFetches* f = FetchesOf(loop);
  const uint64_t tag = ++f->next_tag;
  if (!FetchMissed(*f, tag)) return false;
  f->waiting.emplace(tag, LoopFetches::Waiting{std::string(shortlink), std::move(done), 1});
  return true;
}

void SqliteMetadataStore::OnFetched(LoopFetches& f, uint64_t tag) {
  auto it = f.waiting.find(tag);
  if (it == f.waiting.end()) return;
  LoopFetches::Waiting w = std::move(it->second);
  f.waiting.erase(it);
  Result<PasteRecord> row = GetWithoutWaiting(w.link);
  if (row.status().code() == Code::kWouldBlock && w.fetches < kFetchesALookup) {
    // Another page (the next level of the tree, or the row's own).
    const uint64_t next = ++f.next_tag;
    if (FetchMissed(f, next)) {
      w.fetches++;
      f.waiting.emplace(next, std::move(w));
      return;
    }
  }
  if (row.status().code() != Code::kWouldBlock) fetched_lookups_++;
  w.done(std::move(row));  // kWouldBlock: a reader asks
}

void SqliteMetadataStore::ReleaseReads(bool busy) {
  std::unique_ptr<Reader> reader = TakeHeldReader();
  if (reader == nullptr) return;
  LoopWatch* loop = busy ? LoopWatch::Current() : nullptr;
  if (loop != nullptr && reader->reading && ++reader->rounds < kHeldRounds &&
      !checkpointer_->restart_near() && reader->commits == checkpointer_->commits()) {
    loop->WaitAtMost(kHeldWaitMs);
    std::lock_guard<std::mutex> lock(readers_mu_);
    held_.push_back({std::this_thread::get_id(), std::move(reader)});
    return;
  }
  EndRead(*reader);
  ReturnReader(std::move(reader), /*nowait=*/true);
}

Result<PasteRecord> SqliteMetadataStore::Get(std::string_view shortlink) {
  return WithReader<PasteRecord>([&](Reader& r) { return Lookup(r, shortlink); });
}

Result<std::vector<PasteRecord>> SqliteMetadataStore::RowsAfter(std::string_view after,
                                                                size_t limit) {
  std::lock_guard<std::mutex> lock(export_mu_);
  // Keyed links are in no index: the walk's first page sorts every link once
  // (a temporary table on a connection of its own, sorted by an index
  // built from it), and each page is a range of it joined to the rows. A
  // paste made after the first page is not in the walk; one deleted is
  // left out.
  if (export_db_ == nullptr || after.empty()) {
    if (export_db_ == nullptr) {
      auto db = SqliteDb::Open(path_, /*create=*/false, RandomVfsName());
      if (!db.ok()) return db.status();
      export_db_ = std::move(db).value();
    }
    Status s = export_db_->Exec(
        "DROP TABLE IF EXISTS temp.walk;"
        " CREATE TEMP TABLE walk AS SELECT shortlink AS link, id AS row FROM pastes;"
        " CREATE INDEX temp.walk_link ON walk (link, row);");
    if (!s.ok()) return s;
  }
  // Bytewise (BINARY collation) link order, as PostgreSQL's COLLATE "C".
  auto st = export_db_->Prepare(RowColumns(/*with_body=*/true) +
                                " FROM temp.walk CROSS JOIN pastes ON id = row"
                                " WHERE link > ?1 ORDER BY link LIMIT ?2");
  if (!st.ok()) return st.status();
  (*st)->BindText(1, after);
  (*st)->BindInt(2, static_cast<int64_t>(limit));
  std::vector<PasteRecord> out;
  for (;;) {
    auto step = (*st)->Next();
    if (!step.ok()) return step.status();
    if (*step == SqliteStmt::Step::kDone) break;
    out.push_back(RecordFromRow(**st));
  }
  return out;
}

Result<std::unordered_set<std::string>> SqliteMetadataStore::PastePathsWithPrefix(
    const std::string& prefix) {
  using Paths = std::unordered_set<std::string>;
  return WithReader<Paths>([&](Reader& r) -> Result<Paths> {
    Paths out;
    SqliteStmt& st = *r.paths_with_prefix;
    st.BindText(1, prefix);
    for (;;) {
      auto step = st.Next();
      if (!step.ok()) return step.status();
      if (*step == SqliteStmt::Step::kDone) break;
      out.insert(st.Text(0));
    }
    st.Reset();
    return out;
  });
}

Result<StoredTotals> SqliteMetadataStore::Totals() {
  return WithReader<StoredTotals>([](Reader& r) -> Result<StoredTotals> {
    auto st = r.db->Prepare("SELECT pastes, bytes, stored_bytes FROM storage_totals WHERE id = 1");
    if (!st.ok()) return st.status();
    auto step = (*st)->Next();
    if (!step.ok()) return step.status();
    if (*step != SqliteStmt::Step::kRow) return Internal("storage_totals is empty");
    return StoredTotals{(*st)->Int(0), (*st)->Int(1), (*st)->Int(2)};
  });
}

Status SqliteMetadataStore::Check() {
  auto n = WithReader<int64_t>(
      [](Reader& r) { return r.db->QueryInt("SELECT count(*) FROM sqlite_master"); });
  return n.ok() ? Status::Ok() : n.status();
}

}  // namespace pastebin
