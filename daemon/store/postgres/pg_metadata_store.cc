#include "daemon/store/postgres/pg_metadata_store.h"

#include <unordered_set>

#include "daemon/store/postgres/pg_schema.h"

namespace pastebin {
namespace {

constexpr char kColumns[] =
    "shortlink, created_at, expiration_length_in_minutes, expires_at, size, codec,"
    " stored_size, content_hash, delete_token_hash, link_target, burn, lang";
// Where size and stored_size are among kColumns.
constexpr size_t kSizeColumn = 4;
constexpr size_t kStoredSizeColumn = 6;

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
  r.burn_after_reading = row[10].value_or("f") == "t";
  r.language = row[11].value_or("");
  if (with_body && row.size() > 12 && row[12]) {
    auto body = PgBytes(*row[12]);
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

PgParam Optional(const std::optional<int64_t>& v) {
  return v ? PgParam(std::to_string(*v)) : PgParam(std::nullopt);
}

// Runs work() -> Result<rows> in one transaction on c: committed when it
// succeeds, rolled back when it fails. Its rows, or the error.
template <typename Fn>
Result<std::vector<PgRow>> InTransaction(PgConn& c, Fn work) {
  Status s = c.Exec("BEGIN");
  if (!s.ok()) return s;
  Result<std::vector<PgRow>> rows = work();
  if (!rows.ok()) {
    c.Exec("ROLLBACK");
    return rows.status();
  }
  s = c.Exec("COMMIT");
  if (!s.ok()) return s;
  return rows;
}

}  // namespace

PgMetadataStore::PgMetadataStore(const PgStoreOptions& options)
    : node_(options.node), primary_(options.url, options.timeout_s) {
  if (!options.read_url.empty()) {
    replica_ = std::make_unique<PgPool>(options.read_url, options.timeout_s);
  }
}

Result<std::unique_ptr<PgMetadataStore>> PgMetadataStore::Open(const PgStoreOptions& options) {
  std::unique_ptr<PgMetadataStore> store(new PgMetadataStore(options));
  auto conn = store->primary_.Take();
  if (!conn.ok()) return conn.status();
  Status s = MigratePgSchema(**conn);
  if (!s.ok()) return s;
  // Every delete acknowledged before this start is behind this position.
  store->RaiseFence(conn->get());
  store->primary_.Give(std::move(conn).value());
  return store;
}

Status PgMetadataStore::Insert(const PasteRecord& record) { return InsertBatch({&record})[0]; }

std::vector<Status> PgMetadataStore::InsertBatch(const std::vector<const PasteRecord*>& records) {
  if (records.empty()) return {};
  // One statement for the batch: one round trip, whatever its size.
  constexpr size_t kPerRow = 13;
  std::string sql = std::string("INSERT INTO pastes (") + kColumns + ", body) VALUES ";
  std::vector<PgParam> params;
  params.reserve(records.size() * kPerRow);
  for (size_t i = 0; i < records.size(); ++i) {
    const PasteRecord* r = records[i];
    sql += i ? ",(" : "(";
    for (size_t k = 1; k <= kPerRow; ++k) {
      sql += "$" + std::to_string(i * kPerRow + k) + (k < kPerRow ? "," : ")");
    }
    params.insert(
        params.end(),
        {r->shortlink, std::to_string(r->created_at),
         std::to_string(r->expiration_length_in_minutes), Optional(r->expires_at),
         std::to_string(r->size), std::to_string(static_cast<int>(r->codec)),
         std::to_string(r->stored_size),
         r->content_hash.empty() ? PgParam(std::nullopt) : PgParam::Bytes(r->content_hash),
         r->delete_token_hash, r->link_target, r->burn_after_reading ? "true" : "false",
         r->language.empty() ? PgParam(std::nullopt) : PgParam(r->language),
         r->link_target ? PgParam(std::nullopt) : PgParam::Bytes(r->inline_body)});
  }
  sql += " ON CONFLICT (shortlink) DO NOTHING RETURNING shortlink, size, stored_size";
  auto done = primary_.With<std::vector<Status>>([&](PgConn& c) -> Result<std::vector<Status>> {
    auto rows = InTransaction(c, [&]() -> Result<std::vector<PgRow>> {
      auto rows = c.Query(sql, params);
      if (!rows.ok()) return rows;
      Status s = AddToTotals(c, *rows, 1, 2, +1);  // as RETURNING names them
      if (!s.ok()) return s;
      return rows;
    });
    if (!rows.ok()) return rows.status();
    std::unordered_set<std::string> in;
    for (const PgRow& row : *rows) in.insert(row[0].value_or(""));
    std::vector<Status> out;
    for (const PasteRecord* r : records) {
      out.push_back(in.count(r->shortlink)
                        ? Status::Ok()
                        : Status(Code::kConflict, "shortlink " + r->shortlink + " is taken"));
    }
    return out;
  });
  if (!done.ok()) return std::vector<Status>(records.size(), done.status());
  return std::move(done).value();
}

Status PgMetadataStore::AddToTotals(PgConn& c, const std::vector<PgRow>& rows, size_t size_column,
                                    size_t stored_column, int sign) {
  if (rows.empty()) return Status::Ok();
  int64_t bytes = 0, stored = 0;
  for (const PgRow& row : rows) {
    bytes += row[size_column] ? std::stoll(*row[size_column]) : 0;
    stored += row[stored_column] ? std::stoll(*row[stored_column]) : 0;
  }
  auto done = c.Query(
      "INSERT INTO store_totals AS t VALUES ($1, $2, $3, $4) ON CONFLICT (node) DO UPDATE SET"
      " pastes = t.pastes + excluded.pastes, bytes_pasted = t.bytes_pasted + excluded.bytes_pasted,"
      " bytes_stored = t.bytes_stored + excluded.bytes_stored",
      {node_, std::to_string(sign * static_cast<int64_t>(rows.size())),
       std::to_string(sign * bytes), std::to_string(sign * stored)});
  return done.ok() ? Status::Ok() : done.status();
}

Result<PasteRecord> PgMetadataStore::Get(std::string_view shortlink) {
  auto read = [&](PgConn& c) -> Result<PasteRecord> {
    auto rows =
        c.Query(std::string("SELECT ") + kColumns + ", body FROM pastes WHERE shortlink = $1",
                {std::string(shortlink)});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return NoSuchPaste(shortlink);
    return RecordFrom((*rows)[0], true);
  };
  if (fence_.load() == UINT64_MAX) RaiseFence();
  if (replica_ && fence_.load() != UINT64_MAX) {
    // A replica away, behind the fence, or without the row yet (it may lag
    // behind a paste just written): the primary has the last word.
    auto got = replica_->With<PasteRecord>([&](PgConn& c) -> Result<PasteRecord> {
      // (A server not in recovery is as current as it gets: a primary.)
      auto rows =
          c.Query(std::string("SELECT CASE WHEN pg_is_in_recovery()"
                              " THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn()"
                              " END - '0/0'::pg_lsn, ") +
                      kColumns + ", body FROM (SELECT 1) one LEFT JOIN pastes ON shortlink = $1",
                  {std::string(shortlink)});
      if (!rows.ok()) return rows.status();
      PgRow& row = (*rows)[0];
      // Read after the query: a fence raised meanwhile counts (the cache
      // refuses what was read before a delete it then hears of).
      if (!row[0] || std::stoull(*row[0]) < fence_.load()) {
        return Status(Code::kUnavailable, "the replica is behind a delete");
      }
      if (!row[1]) return NoSuchPaste(shortlink);
      row.erase(row.begin());
      return RecordFrom(row, true);
    });
    if (got.ok()) return got;
  }
  return primary_.With<PasteRecord>(read);
}

Result<std::vector<PasteRecord>> PgMetadataStore::RowsAfter(std::string_view after, size_t limit) {
  using Rows = std::vector<PasteRecord>;
  return primary_.With<Rows>([&](PgConn& c) -> Result<Rows> {
    // shortlink is COLLATE "C": bytewise, on the primary key.
    auto rows = c.Query(std::string("SELECT ") + kColumns +
                            ", body FROM pastes WHERE shortlink > $1 ORDER BY shortlink LIMIT $2",
                        {std::string(after), std::to_string(limit)});
    if (!rows.ok()) return rows.status();
    Rows out;
    for (const PgRow& row : *rows) {
      auto r = RecordFrom(row, true);
      if (!r.ok()) return r.status();
      out.push_back(std::move(r).value());
    }
    return out;
  });
}

Result<PasteRecord> PgMetadataStore::Delete(std::string_view shortlink) {
  return primary_.With<PasteRecord>([&](PgConn& c) -> Result<PasteRecord> {
    // Every node hears of it when the delete commits (PgEvictionListener),
    // and not before, nor if it does not.
    auto rows = InTransaction(c, [&]() -> Result<std::vector<PgRow>> {
      auto rows = c.Query(
          std::string("DELETE FROM pastes WHERE shortlink = $1 RETURNING ") + kColumns + ", body",
          {std::string(shortlink)});
      if (!rows.ok() || rows->empty()) return rows;
      auto notified = c.Query("SELECT pg_notify('" + std::string(kPgEvictChannel) + "', $1)",
                              {std::string(shortlink)});
      if (!notified.ok()) return notified.status();
      Status s = AddToTotals(c, *rows, kSizeColumn, kStoredSizeColumn, -1);
      if (!s.ok()) return s;
      return rows;
    });
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return NoSuchPaste(shortlink);
    RaiseFence(&c);  // before this node's own notice comes back
    return RecordFrom((*rows)[0], true);
  });
}

Result<std::vector<PasteRecord>> PgMetadataStore::DeleteExpired(int64_t now, size_t limit) {
  return primary_.With<std::vector<PasteRecord>>(
      [&](PgConn& c) -> Result<std::vector<PasteRecord>> {
        auto rows = InTransaction(c, [&]() -> Result<std::vector<PgRow>> {
          auto rows = c.Query(
              std::string("DELETE FROM pastes WHERE shortlink IN (SELECT shortlink FROM pastes"
                          " WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2"
                          " FOR UPDATE SKIP LOCKED) RETURNING ") +
                  kColumns,
              {std::to_string(now), std::to_string(limit)});
          if (!rows.ok()) return rows;
          Status s = AddToTotals(c, *rows, kSizeColumn, kStoredSizeColumn, -1);
          if (!s.ok()) return s;
          return rows;
        });
        if (!rows.ok()) return rows.status();
        return RecordsFrom(*rows);
      });
}

Result<StoredTotals> PgMetadataStore::Totals() {
  return primary_.With<StoredTotals>([&](PgConn& c) -> Result<StoredTotals> {
    auto rows = c.Query(
        "SELECT coalesce(sum(pastes), 0), coalesce(sum(bytes_pasted), 0),"
        " coalesce(sum(bytes_stored), 0) FROM store_totals");
    if (!rows.ok()) return rows.status();
    const PgRow& r = (*rows)[0];
    return StoredTotals{std::stoll(*r[0]), std::stoll(*r[1]), std::stoll(*r[2])};
  });
}

void PgMetadataStore::Forget(std::string_view) { RaiseFence(); }

void PgMetadataStore::ForgetAll() { RaiseFence(); }

void PgMetadataStore::RaiseFence(PgConn* c) {
  if (!replica_) return;  // no replica to hold back: no round trip
  auto read = [](PgConn& conn) -> Result<uint64_t> {
    auto rows = conn.Query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
    if (!rows.ok()) return rows.status();
    return static_cast<uint64_t>(std::stoull(*(*rows)[0][0]));
  };
  Result<uint64_t> lsn = c ? read(*c) : primary_.With<uint64_t>(read);
  if (!lsn.ok()) {
    fence_ = UINT64_MAX;  // unknown: no replica reads until it is known
    return;
  }
  uint64_t was = fence_.load();
  while ((was == UINT64_MAX || was < *lsn) && !fence_.compare_exchange_weak(was, *lsn)) {
  }
}

Status PgMetadataStore::Check() {
  auto one = primary_.With<int>([&](PgConn& c) -> Result<int> {
    // A standby where the primary was (a fenced old primary, a wrong
    // address) would refuse every write.
    auto rows = c.Query("SELECT pg_is_in_recovery()");
    if (!rows.ok()) return rows.status();
    if (rows->empty() || (*rows)[0][0] != std::optional<std::string>("f")) {
      return Status(Code::kUnavailable, "postgres_url leads to a standby, not the primary");
    }
    // A commit with a transaction id, as a paste's is: it waits for the
    // synchronous standby, so a write that would hang says so here.
    auto committed = c.Query("SELECT pg_current_xact_id()");
    if (!committed.ok()) return committed.status();
    return 1;
  });
  return one.ok() ? Status::Ok() : one.status();
}

}  // namespace pastebin
