#include "daemon/store/postgres/pg_metadata_store.h"

#include <sys/epoll.h>

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "daemon/store/postgres/pg_schema.h"

namespace pastebin {
namespace {

constexpr char kColumns[] =
    "shortlink, created_at, expiration_length_in_minutes, expires_at, size, codec,"
    " stored_size, content_hash, delete_token_hash, link_target, burn, lang";
// kColumns for an answer in binary (GetMany, the loops' reads): each
// number as a bigint (8 bytes, big-endian), the flag as a boolean (one
// byte), the hash as its bytes; text as it is.
constexpr char kColumnsBinary[] =
    "shortlink, created_at, expiration_length_in_minutes, expires_at, size, codec::int8,"
    " stored_size, content_hash, delete_token_hash, link_target, burn, lang";
// The body column of batched reads: bodies up to kBodyInRowBytes as
// stored, larger ones left in the table (NULL) for ReadInlineBody. Up to 64
// rows come at once: 64 bodies of 10 MB would hold most of a gigabyte
// before any reader's budget is asked.
std::string BatchedBody() {
  return ", CASE WHEN stored_size <= " + std::to_string(PgMetadataStore::kBodyInRowBytes) +
         " THEN body END";
}
// "shortlink IN ($1, ..., $n)" for n links: a statement for each count,
// whose generic plan PostgreSQL keeps from the sixth run on. Asked as
// "shortlink = ANY($1::text[])" it planned every run again, the generic
// plan's guess at the array's length always costing more than the custom
// plans' (pg_prepared_statements: 0 generic plans in 13 runs).
std::string LinksIn(size_t n) {
  std::string in = " shortlink IN (";
  for (size_t i = 1; i <= n; ++i) in += (i > 1 ? ",$" : "$") + std::to_string(i);
  return in + ")";
}
std::vector<PgParam> LinkParams(const std::vector<std::string>& links) {
  return std::vector<PgParam>(links.begin(), links.end());
}
// The rows of n links ($1..$n) in binary (RecordFrom's binary form).
std::string MakePrimaryRead(size_t n) {
  return std::string("SELECT ") + kColumnsBinary + BatchedBody() + " FROM pastes WHERE" +
         LinksIn(n);
}
// The same from a replica, led by the position it has replayed to (the
// primary's own on a server not in recovery: as current as it gets), and
// one row at least, for the position, when none is found.
std::string MakeReplicaRead(size_t n) {
  return std::string(
             "SELECT (CASE WHEN pg_is_in_recovery()"
             " THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn()"
             " END - '0/0'::pg_lsn)::text, ") +
         kColumnsBinary + BatchedBody() + " FROM (SELECT 1) one LEFT JOIN pastes ON" + LinksIn(n);
}
// make(n) for each n up to a batch's most, 64 (kMaxReadBatch, asserted in
// SendLane): a read builds no statement text.
std::vector<std::string> MadeForEachCount(std::string (*make)(size_t)) {
  std::vector<std::string> texts;
  for (size_t n = 0; n <= 64; ++n) texts.push_back(make(n));
  return texts;
}
const std::string& PrimaryRead(size_t n) {
  static const std::vector<std::string> texts = MadeForEachCount(MakePrimaryRead);
  return texts.at(n);
}
const std::string& ReplicaRead(size_t n) {
  static const std::vector<std::string> texts = MadeForEachCount(MakeReplicaRead);
  return texts.at(n);
}

// A statement's last WITH item, after the one named rows, whose rows
// (with size and stored_size) it adds to the node's running totals (sign
// -1: takes them off); node is the node's parameter ($N). So the totals
// move in the statement's own transaction, in its one round trip.
std::string TotalsCte(const char* rows, int sign, size_t node) {
  const char* minus = sign < 0 ? "-" : "";
  return std::string(" totals AS (INSERT INTO store_totals AS t SELECT $") + std::to_string(node) +
         ", " + minus + "count(*), " + minus + "sum(size)::bigint, " + minus +
         "sum(stored_size)::bigint FROM " + rows +
         " HAVING count(*) > 0 ON CONFLICT (node) DO UPDATE SET"
         " pastes = t.pastes + excluded.pastes,"
         " bytes_pasted = t.bytes_pasted + excluded.bytes_pasted,"
         " bytes_stored = t.bytes_stored + excluded.bytes_stored)";
}

// The WAL position a replica's answer (ReplicaRead) says it has replayed
// to: its first row's first column, 0 when there is none; throws on one
// that is not a number.
uint64_t ReplayedTo(const std::vector<PgRow>& rows) {
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return 0;
  return std::stoull(*rows[0][0]);
}

// A batched read's rows (a link in column first) by their link.
std::unordered_map<std::string_view, const PgRow*> RowsByLink(const std::vector<PgRow>& rows,
                                                              size_t first) {
  std::unordered_map<std::string_view, const PgRow*> by_link;
  for (const PgRow& row : rows) {
    if (row.size() > first && row[first]) by_link.emplace(*row[first], &row);
  }
  return by_link;
}

// A bigint in PostgreSQL's binary form: 8 bytes, big-endian.
int64_t BigintOf(const std::string& bytes) {
  if (bytes.size() != 8)
    throw std::invalid_argument("a bigint of " + std::to_string(bytes.size()) + " bytes");
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return static_cast<int64_t>(v);
}

// The record of a row selected as kColumns (plus the body, when with_body),
// from its column first on; as kColumnsBinary in binary when binary (the
// hash and the body their bytes, not hex). (A row may answer two asks
// for the same link: nothing is moved out of it.)
Result<PasteRecord> RecordFrom(const PgRow& row, bool with_body, size_t first = 0,
                               bool binary = false) {
  auto at = [&](size_t i) -> const std::optional<std::string>& { return row[first + i]; };
  auto num = [&](size_t i) -> int64_t {
    if (!at(i)) return 0;
    return binary ? BigintOf(*at(i)) : std::stoll(*at(i));
  };
  // A bytea column's bytes: as they came in binary, else from its hex.
  auto bytes = [&](size_t i) {
    return binary ? std::optional<std::string>(*at(i)) : PgBytes(*at(i));
  };
  PasteRecord r;
  r.shortlink = at(0).value_or("");
  r.created_at = num(1);
  r.expiration_length_in_minutes = num(2);
  if (at(3)) r.expires_at = num(3);
  r.size = num(4);
  r.codec = static_cast<BodyCodec>(num(5));
  r.stored_size = num(6);
  if (at(7)) {
    auto hash = bytes(7);
    if (!hash) return Internal("paste " + r.shortlink + " has a malformed content hash");
    r.content_hash = std::move(*hash);
  }
  r.delete_token_hash = at(8).value_or("");
  if (at(9)) r.link_target = *at(9);
  r.burn_after_reading = binary ? at(10) == std::string(1, '\1') : at(10).value_or("f") == "t";
  r.language = at(11).value_or("");
  if (with_body && row.size() > first + 12 && at(12)) {
    auto body = bytes(12);
    if (!body) return Internal("paste " + r.shortlink + " has a malformed body");
    r.inline_body = std::move(*body);
  } else if (with_body && !r.link_target && r.stored_size > PgMetadataStore::kBodyInRowBytes) {
    r.body_left_out = true;  // BatchedBody() left it in the table
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

}  // namespace

PgMetadataStore::PgMetadataStore(const PgStoreOptions& options)
    : node_(options.node),
      primary_(options.url, options.timeout_s),
      reads_(
          kReadsAtOnce, kMaxReadBatch,
          [this](const std::vector<std::string>& links) { return GetMany(links); },
          "pasted-pgread"),
      timeout_s_(options.timeout_s) {
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
  std::string sql =
      std::string("WITH added AS (INSERT INTO pastes (") + kColumns + ", body) VALUES ";
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
  // The totals in the same statement: one round trip, where BEGIN, the
  // insert, the totals and COMMIT made four (writes/s 1.16 x in an A/B).
  sql += " ON CONFLICT (shortlink) DO NOTHING RETURNING shortlink, size, stored_size)," +
         TotalsCte("added", +1, params.size() + 1) + " SELECT shortlink FROM added";
  params.push_back(InsertTotalsRow());
  auto done = primary_.With<std::vector<Status>>([&](PgConn& c) -> Result<std::vector<Status>> {
    auto rows = c.Query(sql, params);
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

std::string PgMetadataStore::InsertTotalsRow() {
  unsigned turn = totals_turn_++ % kInsertTotalsRows;
  return turn == 0 ? node_ : node_ + "#" + std::to_string(turn);
}

Result<PasteRecord> PgMetadataStore::Get(std::string_view shortlink) {
  return reads_.Get(std::string(shortlink));
}

Result<std::string> PgMetadataStore::ReadInlineBody(std::string_view shortlink) {
  const std::string link(shortlink);
  return primary_.With<std::string>([&](PgConn& c) -> Result<std::string> {
    // In binary: the bytes themselves, not hex twice their size.
    auto rows = c.Query("SELECT body FROM pastes WHERE shortlink = $1", {link},
                        /*binary_results=*/true);
    if (!rows.ok()) return rows.status();
    if (rows->empty() || !(*rows)[0][0]) return NoSuchPaste(link);
    return std::move(*(*rows)[0][0]);
  });
}

struct PgMetadataStore::LoopLane {
  PgPool* pool = nullptr;
  bool replica = false;          // asked first, its position checked against the fence
  std::unique_ptr<PgConn> conn;  // non-blocking once used
  int fd = -1;                   // conn's socket, watched
  std::vector<LoopAsk> out;      // in the statement out
  std::vector<LoopAsk> waiting;  // asked since
  bool held_back = false;        // waiting was held a round (OnLoopRound)
  std::chrono::steady_clock::time_point sent;
};

struct PgMetadataStore::LoopReads {
  LoopWatch* loop = nullptr;
  LoopLane replica;
  LoopLane primary;
};

PgMetadataStore::~PgMetadataStore() = default;

bool PgMetadataStore::GetLater(std::string_view shortlink,
                               std::function<void(Result<PasteRecord>)> done) {
  LoopWatch* loop = LoopWatch::Current();
  if (LoopReads* r = loop ? LoopReadsOf(loop) : nullptr) {
    // The replica first, as GetMany asks; while its fence is unknown, the
    // combiner reads it (on the primary) before anything goes there.
    LoopLane* lane = !replica_ ? &r->primary : fence_.load() != UINT64_MAX ? &r->replica : nullptr;
    if (lane && (lane->conn || ConnectLane(*r, *lane))) {
      // Sent at the end of the loop's round (OnLoopRound), with every
      // other miss of the round.
      lane->waiting.push_back({std::string(shortlink), std::move(done)});
      return true;
    }
  }
  // The combiner's batch connects if it must; its connection, back in the
  // pool, is the loop's next time.
  reads_.GetLater(std::string(shortlink), std::move(done));
  return true;
}

PgMetadataStore::LoopReads* PgMetadataStore::LoopReadsOf(LoopWatch* loop) {
  bool made;
  LoopReads* r = loops_.Of(loop, &made);
  if (!made) return r;
  r->loop = loop;
  r->primary.pool = &primary_;
  r->replica.pool = replica_.get();
  r->replica.replica = true;
  loop->EachRound([this, r](bool stopping) { OnLoopRound(*r, stopping); });
  return r;
}

bool PgMetadataStore::ConnectLane(LoopReads& r, LoopLane& lane) {
  std::unique_ptr<PgConn> c = lane.pool->TakeIdle();
  if (!c) return false;
  int fd = c->Socket();
  if (!r.loop->Watch(fd, EPOLLIN, [this, &r, &lane](uint32_t ev) { OnLaneReady(r, lane, ev); })) {
    lane.pool->Give(std::move(c));
    return false;
  }
  lane.conn = std::move(c);
  lane.fd = fd;
  return true;
}

void PgMetadataStore::DropLane(LoopReads& r, LoopLane& lane) {
  if (!lane.conn) return;
  r.loop->Unwatch(lane.fd);
  lane.conn.reset();
  lane.fd = -1;
}

void PgMetadataStore::Tell(LoopAsk& ask, Result<PasteRecord> answer) {
  try {
    ask.done(std::move(answer));
  } catch (const std::exception&) {
    // Out of memory telling it: that answer is lost (its asker's
    // connection times out), as with the combiner's.
  }
}

void PgMetadataStore::PassOn(std::vector<LoopAsk>& asks) {
  for (LoopAsk& a : asks) reads_.GetLater(std::move(a.link), std::move(a.done));
  asks.clear();
}

void PgMetadataStore::ToPrimary(LoopReads& r, std::vector<LoopAsk>& asks) {
  if (asks.empty()) return;
  if (!r.primary.conn && !ConnectLane(r, r.primary)) return PassOn(asks);
  for (LoopAsk& a : asks) r.primary.waiting.push_back(std::move(a));
  asks.clear();
}

void PgMetadataStore::SendLane(LoopReads& r, LoopLane& lane) {
  static_assert(kMaxReadBatch <= 64, "PrimaryRead and ReplicaRead keep statements for up to 64");
  size_t n = std::min(lane.waiting.size(), kMaxReadBatch);
  std::vector<std::string> links;
  for (size_t i = 0; i < n; ++i) {
    links.push_back(lane.waiting[i].link);
    lane.out.push_back(std::move(lane.waiting[i]));
  }
  lane.waiting.erase(lane.waiting.begin(), lane.waiting.begin() + static_cast<std::ptrdiff_t>(n));
  Status sent = lane.conn->Send(lane.replica ? ReplicaRead(n) : PrimaryRead(n), LinkParams(links),
                                /*binary_results=*/true);
  if (sent.ok() && !lane.conn->Flush()) {
    // The rest goes once the socket takes it (OnLaneReady).
    r.loop->Watch(lane.fd, EPOLLIN | EPOLLOUT,
                  [this, &r, &lane](uint32_t ev) { OnLaneReady(r, lane, ev); });
  }
  if (!sent.ok()) {  // the connection broke: the combiner asks again, on another
    DropLane(r, lane);
    PassOn(lane.out);
    PassOn(lane.waiting);
    return;
  }
  lane.sent = std::chrono::steady_clock::now();
}

void PgMetadataStore::OnLaneReady(LoopReads& r, LoopLane& lane, uint32_t events) {
  if ((events & EPOLLOUT) && lane.conn->Flush()) {
    r.loop->Watch(lane.fd, EPOLLIN, [this, &r, &lane](uint32_t ev) { OnLaneReady(r, lane, ev); });
  }
  if (lane.out.empty()) {
    // Nothing asked: the server is closing the idle connection (a restart,
    // an administrator). The next read connects anew.
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) DropLane(r, lane);
    return;
  }
  auto got = lane.conn->Receive();
  if (got.ok() && !*got) {  // more to come (the statement itself, once prepared)
    if (!lane.conn->Flush()) {
      r.loop->Watch(lane.fd, EPOLLIN | EPOLLOUT,
                    [this, &r, &lane](uint32_t ev) { OnLaneReady(r, lane, ev); });
    }
    return;
  }
  std::vector<LoopAsk> batch = std::move(lane.out);
  lane.out.clear();
  if (!got.ok()) {
    DropLane(r, lane);
    if (lane.replica) {
      // A replica away or failing: the primary has the last word.
      ToPrimary(r, batch);
    } else {
      // A connection that broke (a restart, a failover) or a statement
      // that failed: the combiner asks again, on a connection of the
      // pool's (a new one if need be), and answers with its error if it
      // fails too.
      PassOn(batch);
    }
    PassOn(lane.waiting);
    return;
  }
  const std::vector<PgRow>& rows = **got;
  size_t first = lane.replica ? 1 : 0;  // the replica's rows lead with its position
  if (lane.replica) {
    uint64_t at = 0;  // unknown: behind
    try {
      at = ReplayedTo(rows);
    } catch (const std::exception&) {
    }
    // Read after the answer: a fence raised meanwhile counts (the cache
    // refuses what was read before a delete it then hears of).
    if (at < fence_.load()) {
      ToPrimary(r, batch);  // behind a delete: the primary answers them all
      return;
    }
  }
  const auto by_link = RowsByLink(rows, first);
  std::vector<LoopAsk> lacking;  // rows the replica lacks (they may lag)
  int64_t answered = 0;
  for (LoopAsk& a : batch) {
    auto it = by_link.find(a.link);
    if (it == by_link.end() && lane.replica) {
      lacking.push_back(std::move(a));
      continue;
    }
    Result<PasteRecord> answer = NoSuchPaste(a.link);
    try {
      if (it != by_link.end()) answer = RecordFrom(*it->second, true, first, /*binary=*/true);
    } catch (const std::exception& e) {  // a malformed number, say
      answer = Internal(std::string("reading pastes: ") + e.what());
    }
    ++answered;
    Tell(a, std::move(answer));
  }
  loop_batches_++;
  loop_keys_ += answered;
  ToPrimary(r, lacking);
}

void PgMetadataStore::OnLoopRound(LoopReads& r, bool stopping) {
  // The replica's first: what it lacks joins the primary's statement.
  for (LoopLane* lane : {&r.replica, &r.primary}) {
    if (!stopping && lane->out.empty()) {
      if (lane->waiting.empty()) {
        lane->held_back = false;  // (what it held went elsewhere)
        continue;
      }
      // Fewer than kHeldBelow wait one round more (a round that does not
      // wait for events), for what the loop's other clients ask meanwhile:
      // fewer, larger statements.
      if (lane->waiting.size() < kHeldBelow && !lane->held_back) {
        lane->held_back = true;
        r.loop->RoundAgain();
        continue;
      }
      lane->held_back = false;
      if (lane->conn) {
        SendLane(r, *lane);
      } else {  // its connection was let go this round: the combiner asks
        PassOn(lane->waiting);
      }
      continue;
    }
    if (!stopping &&
        std::chrono::steady_clock::now() - lane->sent < std::chrono::seconds(timeout_s_)) {
      continue;
    }
    // No answer within the timeout (the server hangs, the network is
    // gone), or the loop stops: the connection is dropped. A replica's
    // reads go on to the primary; the primary's fail.
    DropLane(r, *lane);
    if (lane->replica && !stopping) {  // (sent in this round's turn of the primary)
      ToPrimary(r, lane->out);
      ToPrimary(r, lane->waiting);
      continue;
    }
    Status why(Code::kUnavailable, stopping
                                       ? "pasted is stopping"
                                       : "PostgreSQL: reading pastes: no answer within " +
                                             std::to_string(timeout_s_) +
                                             " s (postgres_timeout); the connection is dropped");
    for (auto* asks : {&lane->out, &lane->waiting}) {
      for (LoopAsk& a : *asks) Tell(a, why);
      asks->clear();
    }
  }
  if (stopping) loops_.Stop(r.loop);
}

std::vector<Result<PasteRecord>> PgMetadataStore::GetMany(const std::vector<std::string>& links) {
  std::vector<Result<PasteRecord>> out;
  for (const std::string& link : links) out.push_back(NoSuchPaste(link));
  if (links.empty()) return out;
  std::vector<size_t> left(links.size());  // links no answer has come for yet
  for (size_t i = 0; i < links.size(); ++i) left[i] = i;
  // Gives each link in left its row from rows (kColumns and the body, from
  // column first on); links without one stay in left.
  auto answer = [&](const std::vector<PgRow>& rows, size_t first) {
    const auto by_link = RowsByLink(rows, first);
    std::vector<size_t> still;
    for (size_t i : left) {
      auto it = by_link.find(links[i]);
      if (it == by_link.end()) {
        still.push_back(i);
      } else {
        out[i] = RecordFrom(*it->second, true, first, /*binary=*/true);
      }
    }
    left = std::move(still);
  };
  try {
    if (fence_.load() == UINT64_MAX) RaiseFence();
    if (replica_ && fence_.load() != UINT64_MAX) {
      // A replica away, behind the fence, or without a row yet (it may lag
      // behind a paste just written): the primary has the last word.
      replica_->With<bool>([&](PgConn& c) -> Result<bool> {
        // (A server not in recovery is as current as it gets: a primary.)
        // One row at least, for the position, when none is found.
        auto rows = c.Query(ReplicaRead(links.size()), LinkParams(links), /*binary_results=*/true);
        if (!rows.ok()) return rows.status();
        // Read after the query: a fence raised meanwhile counts (the cache
        // refuses what was read before a delete it then hears of).
        if (ReplayedTo(*rows) < fence_.load()) {
          return Status(Code::kUnavailable, "the replica is behind a delete");
        }
        answer(*rows, 1);
        return true;
      });
    }
    if (left.empty()) return out;
    std::vector<std::string> rest;
    for (size_t i : left) rest.push_back(links[i]);
    auto read = primary_.With<bool>([&](PgConn& c) -> Result<bool> {
      auto rows = c.Query(PrimaryRead(rest.size()), LinkParams(rest), /*binary_results=*/true);
      if (!rows.ok()) return rows.status();
      answer(*rows, 0);  // what is still left has no row: NoSuchPaste
      return true;
    });
    if (!read.ok()) {
      for (size_t i : left) out[i] = read.status();
    }
  } catch (const std::exception& e) {  // a malformed number, say: every caller hears
    for (Result<PasteRecord>& r : out) r = Internal(std::string("reading pastes: ") + e.what());
  }
  return out;
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
    // and not before, nor if it does not: a notice for each row deleted,
    // sent at the commit. One statement, its own transaction.
    auto rows =
        c.Query(std::string("WITH gone AS (DELETE FROM pastes WHERE shortlink = $1"
                            " RETURNING ") +
                    kColumns + ", body)," + TotalsCte("gone", -1, 2) +
                    " SELECT gone.*, pg_notify('" + kPgEvictChannel + "', shortlink) FROM gone",
                {std::string(shortlink), node_});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return NoSuchPaste(shortlink);
    RaiseFence(&c);  // before this node's own notice comes back
    return RecordFrom((*rows)[0], true);
  });
}

Result<std::vector<PasteRecord>> PgMetadataStore::DeleteExpired(int64_t now, size_t limit) {
  return primary_.With<std::vector<PasteRecord>>(
      [&](PgConn& c) -> Result<std::vector<PasteRecord>> {
        auto rows = c.Query(
            std::string("WITH gone AS (DELETE FROM pastes WHERE shortlink IN (SELECT shortlink"
                        " FROM pastes WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2"
                        " FOR UPDATE SKIP LOCKED) RETURNING ") +
                kColumns + ")," + TotalsCte("gone", -1, 3) + " SELECT * FROM gone",
            {std::to_string(now), std::to_string(limit), node_});
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
