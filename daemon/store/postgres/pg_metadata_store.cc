#include "daemon/store/postgres/pg_metadata_store.h"

#include "daemon/store/postgres/pg_schema.h"

namespace pastebin {
namespace {

constexpr char kColumns[] =
    "shortlink, created_at, expiration_length_in_minutes, expires_at, size, codec,"
    " stored_size, content_hash, delete_token_hash, link_target";

// The record of a row selected as kColumns (plus the body, when with_body).
Result<PasteRecord> RecordFrom(const PgRow& row, bool with_body) {
  auto num = [&](size_t i) { return row[i] ? std::stoll(*row[i]) : 0; };
  PasteRecord r;
  r.shortlink = row[0].value_or("");
  r.created_at = num(1);
  r.expiration_length_in_minutes = num(2);
  if (row[3]) r.expires_at = num(3);
  r.size = num(4);
  r.codec = static_cast<BodyCodec>(num(5));
  r.stored_size = num(6);
  if (row[7]) {
    auto hash = PgBytes(*row[7]);
    if (!hash) return Internal("paste " + r.shortlink + " has a malformed content hash");
    r.content_hash = std::move(*hash);
  }
  r.delete_token_hash = row[8].value_or("");
  if (row[9]) r.link_target = *row[9];
  if (with_body && row.size() > 10 && row[10]) {
    auto body = PgBytes(*row[10]);
    if (!body) return Internal("paste " + r.shortlink + " has a malformed body");
    r.inline_body = std::move(*body);
  }
  return r;
}

Result<std::vector<PasteRecord>> RecordsFrom(const std::vector<PgRow>& rows) {
  std::vector<PasteRecord> out;
  for (const PgRow& row : rows) {
    auto r = RecordFrom(row, false);
    if (!r.ok()) return r.status();
    out.push_back(std::move(r).value());
  }
  return out;
}

Status NoSuchPaste(std::string_view shortlink) {
  return NotFound("paste " + std::string(shortlink) + " does not exist or has expired");
}

PgParam Optional(const std::optional<int64_t>& v) {
  return v ? PgParam(std::to_string(*v)) : PgParam(std::nullopt);
}

}  // namespace

Result<std::unique_ptr<PgMetadataStore>> PgMetadataStore::Open(const std::string& url) {
  std::unique_ptr<PgMetadataStore> store(new PgMetadataStore(url));
  auto conn = store->Take();
  if (!conn.ok()) return conn.status();
  Status s = MigratePgSchema(**conn);
  if (!s.ok()) return s;
  store->Give(std::move(conn).value());
  return store;
}

Result<std::unique_ptr<PgConn>> PgMetadataStore::Take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  return PgConn::Open(url_);
}

void PgMetadataStore::Give(std::unique_ptr<PgConn> conn) {
  if (!conn->ok()) return;  // the server dropped it: the next Take reconnects
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(conn));
}

template <typename T, typename Fn>
Result<T> PgMetadataStore::WithConn(Fn fn) {
  auto conn = Take();
  if (!conn.ok()) return conn.status();
  Result<T> out = fn(**conn);
  Give(std::move(conn).value());
  return out;
}

Status PgMetadataStore::Insert(const PasteRecord& record) {
  return InsertBatch({&record})[0];
}

std::vector<Status> PgMetadataStore::InsertBatch(const std::vector<const PasteRecord*>& records) {
  auto done = WithConn<std::vector<Status>>([&](PgConn& c) -> Result<std::vector<Status>> {
    Status s = c.Exec("BEGIN");
    if (!s.ok()) return s;
    std::vector<Status> out;
    for (const PasteRecord* r : records) {
      auto rows = c.Query(
          std::string("INSERT INTO pastes (") + kColumns +
              ", body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
              " ON CONFLICT (shortlink) DO NOTHING RETURNING 1",
          {r->shortlink, std::to_string(r->created_at),
           std::to_string(r->expiration_length_in_minutes), Optional(r->expires_at),
           std::to_string(r->size), std::to_string(static_cast<int>(r->codec)),
           std::to_string(r->stored_size),
           r->content_hash.empty() ? PgParam(std::nullopt) : PgParam::Bytes(r->content_hash),
           r->delete_token_hash, r->link_target,
           r->link_target ? PgParam(std::nullopt) : PgParam::Bytes(r->inline_body)});
      if (!rows.ok()) {
        c.Exec("ROLLBACK");
        return rows.status();
      }
      out.push_back(rows->empty()
                        ? Status(Code::kConflict, "shortlink " + r->shortlink + " is taken")
                        : Status::Ok());
    }
    s = c.Exec("COMMIT");
    if (!s.ok()) return s;
    return out;
  });
  if (!done.ok()) return std::vector<Status>(records.size(), done.status());
  return std::move(done).value();
}

Result<PasteRecord> PgMetadataStore::Get(std::string_view shortlink) {
  return WithConn<PasteRecord>([&](PgConn& c) -> Result<PasteRecord> {
    auto rows = c.Query(std::string("SELECT ") + kColumns + ", body FROM pastes WHERE shortlink = $1",
                        {std::string(shortlink)});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return NoSuchPaste(shortlink);
    return RecordFrom((*rows)[0], true);
  });
}

Result<PasteRecord> PgMetadataStore::Delete(std::string_view shortlink) {
  return WithConn<PasteRecord>([&](PgConn& c) -> Result<PasteRecord> {
    // Every node hears of it when the delete commits (PgEvictionListener),
    // and not before, nor if it does not.
    Status s = c.Exec("BEGIN");
    if (!s.ok()) return s;
    auto rows = c.Query(std::string("DELETE FROM pastes WHERE shortlink = $1 RETURNING ") + kColumns,
                        {std::string(shortlink)});
    if (rows.ok() && !rows->empty()) {
      auto notified = c.Query("SELECT pg_notify('" + std::string(kPgEvictChannel) + "', $1)",
                              {std::string(shortlink)});
      if (!notified.ok()) rows = notified.status();
    }
    if (!rows.ok()) {
      c.Exec("ROLLBACK");
      return rows.status();
    }
    s = c.Exec("COMMIT");
    if (!s.ok()) return s;
    if (rows->empty()) return NoSuchPaste(shortlink);
    return RecordFrom((*rows)[0], false);
  });
}

Result<std::vector<PasteRecord>> PgMetadataStore::DeleteExpired(int64_t now, size_t limit) {
  return WithConn<std::vector<PasteRecord>>([&](PgConn& c) -> Result<std::vector<PasteRecord>> {
    auto rows = c.Query(
        std::string("DELETE FROM pastes WHERE shortlink IN (SELECT shortlink FROM pastes"
                    " WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2"
                    " FOR UPDATE SKIP LOCKED) RETURNING ") + kColumns,
        {std::to_string(now), std::to_string(limit)});
    if (!rows.ok()) return rows.status();
    return RecordsFrom(*rows);
  });
}

Result<std::vector<PasteRecord>> PgMetadataStore::DeleteByPastePath(const std::string&) {
  return std::vector<PasteRecord>();
}

Result<std::vector<PasteRecord>> PgMetadataStore::FileBodiesBelow(int64_t, size_t) {
  return std::vector<PasteRecord>();
}

Status PgMetadataStore::MoveBodiesInline(const std::vector<PasteRecord>&) { return Status::Ok(); }

Result<std::unordered_set<std::string>> PgMetadataStore::PastePathsWithPrefix(const std::string&) {
  return std::unordered_set<std::string>();
}

Result<StoredTotals> PgMetadataStore::Totals() {
  return WithConn<StoredTotals>([&](PgConn& c) -> Result<StoredTotals> {
    auto rows = c.Query(
        "SELECT count(*), coalesce(sum(size), 0), coalesce(sum(stored_size), 0) FROM pastes");
    if (!rows.ok()) return rows.status();
    const PgRow& r = (*rows)[0];
    return StoredTotals{std::stoll(*r[0]), std::stoll(*r[1]), std::stoll(*r[2])};
  });
}

Status PgMetadataStore::Check() {
  auto one = WithConn<int>([&](PgConn& c) -> Result<int> {
    auto rows = c.Query("SELECT 1");
    if (!rows.ok()) return rows.status();
    return 1;
  });
  return one.ok() ? Status::Ok() : one.status();
}

}  // namespace pastebin
