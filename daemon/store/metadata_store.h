// MetadataStore: what every store of paste rows does — insert (alone or a
// group commit's batch), read, delete, expire, count — and nothing else.
// Only PasteService reaches it. SQLite (store/sqlite/) is the embedded
// implementation, PostgreSQL (store/postgres/) the one several nodes share;
// a store that keeps bodies as files also offers FileBodyIndex
// (file_bodies.h).
#ifndef PASTEBIN_DAEMON_STORE_METADATA_STORE_H_
#define PASTEBIN_DAEMON_STORE_METADATA_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pastebin {

// How stored body bytes are encoded.
enum class BodyCodec { kRaw = 0, kZstd = 1 };

// Pastes held and their bytes (for gauges and pastebin stats).
struct StoredTotals {
  int64_t pastes = 0;
  int64_t bytes = 0;         // as pasted
  int64_t stored_bytes = 0;  // as stored, after compression
};

// Reads a store asked together (see MetadataStore::ReadBatches).
struct ReadBatchTotals {
  int64_t batches = 0;
  int64_t reads = 0;  // Get calls they answered
};

// Lookups an event loop kept while their pages were read in from the disk,
// and those reads (see MetadataStore::PageFetches).
struct PageFetchTotals {
  int64_t lookups = 0;  // answered on their loop once their pages were in
  int64_t pages = 0;    // reads started for them
};

struct PasteRecord {
  std::string shortlink;
  int64_t created_at = 0;                    // seconds since the epoch, UTC
  int64_t expiration_length_in_minutes = 0;  // 0 = never
  std::optional<int64_t> expires_at;         // created_at + 60 * minutes
  // Where the body is: a BodyStore key (a file), or, when paste_path is
  // empty and this is not a short link, inline in the database. Inline
  // bytes travel in inline_body: given to Insert, filled by Get.
  std::string paste_path;
  std::string inline_body;
  // Get left a large inline body in the store (PostgreSQL's batched reads
  // carry bodies of up to 64 KiB): ReadInlineBody reads it, once
  // its reader has the memory for it.
  bool body_left_out = false;
  BodyCodec codec = BodyCodec::kRaw;  // of the stored bytes
  int64_t stored_size = 0;            // stored bytes (0 for a link)
  int64_t size = 0;                   // body bytes as pasted
  // ContentDigest of the body as pasted (the HTTP ETag); empty for short
  // links, and from the store for pastes older than digests
  // (PasteService::Get fills those in).
  std::string content_hash;
  std::string delete_token_hash;  // hex SHA-256 of the delete token
  // Set for a short link: where it redirects. Then there is no body
  // (paste_path is empty) and size is the URL's length.
  std::optional<std::string> link_target;
  // Burn after reading: served once (PasteService::Burn deletes it as it
  // reads it), never cached.
  bool burn_after_reading = false;
  // The language its creator named for highlighting ("py"), or "".
  std::string language;
  // For Insert: the row number a keyed link (MakeLink) goes with; 0 for a
  // link drawn at random or brought in. Not read back.
  int64_t row_id = 0;

  // Expired from the second expires_at is reached.
  bool ExpiredAt(int64_t now) const { return expires_at && now >= *expires_at; }
};

// The kNotFound every store answers for a shortlink it has no row for.
inline Status NoSuchPaste(std::string_view shortlink) {
  return NotFound("paste " + std::string(shortlink) + " does not exist or has expired");
}

// A link a store made for a new paste, and the row it must go in.
struct KeyedLink {
  std::string shortlink;
  int64_t row_id = 0;
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // A link of length characters for a new paste, made by the store itself
  // (SQLite: its next row number, encrypted: link_cipher.h), to insert with
  // that row_id; nullopt when the store makes none, and the caller draws a
  // random link. A link Insert refuses (kConflict) is retried with another.
  // Thread-safe.
  virtual std::optional<KeyedLink> MakeLink(size_t /*length*/) { return std::nullopt; }

  // Inserts a new row, and its inline body when it has one; durable
  // (committed and synced) when it returns OK. kConflict if the shortlink
  // is taken, in which case nothing changed. Thread-safe.
  virtual Status Insert(const PasteRecord& record) = 0;

  // Inserts many rows (and their inline bodies) in one transaction, so one
  // commit (and one sync) serves them all. Returns a Status per record: OK (durable), kConflict
  // (its shortlink is taken; the others still go in), or, when the
  // transaction itself failed, that error for every record. Thread-safe.
  virtual std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) = 0;

  // InsertBatch, for a store that can write a commit and make it durable
  // apart (so one thread syncs while the next batch goes in): when it sets
  // *sync_needed, the rows are committed (and may be read) but not yet
  // durable, and nobody may be told they are until SyncCommits returns.
  // A store that cannot leaves it false and behaves as InsertBatch.
  virtual std::vector<Status> InsertBatchUnsynced(const std::vector<const PasteRecord*>& records,
                                                  bool* sync_needed) {
    *sync_needed = false;
    return InsertBatch(records);
  }
  // Makes every commit that returned before it was called durable. It does
  // not fail: rows already visible that might not be on the disk cannot be
  // taken back, so a store stops the process if the sync fails (as
  // PostgreSQL does), and its next start recovers them. Thread-safe.
  virtual void SyncCommits() {}
  // How many InsertBatch calls WriteBatcher runs at once: one for a store
  // with one writer, more for one whose server commits many transactions
  // at once (one batch's rows go in while another's commit is flushed).
  virtual size_t BatchesAtOnce() const { return 1; }

  // The row for shortlink, expired or not (callers decide), with its
  // inline body if it has one; kNotFound if there is none. Never writes.
  // Thread-safe.
  virtual Result<PasteRecord> Get(std::string_view shortlink) = 0;

  // As Get, without a thread waiting for the row: done(row) runs later on
  // a thread of the store's, for a store that asks for many rows at once
  // (PostgreSQL). False for a store that cannot; done is then never
  // called, and the caller asks Get on a reader instead. Thread-safe.
  virtual bool GetLater(std::string_view /*shortlink*/,
                        std::function<void(Result<PasteRecord>)> /*done*/) {
    return false;
  }

  // The inline body of a row Get left it out of (body_left_out), as
  // stored; kNotFound if the row is gone. May wait. Thread-safe.
  virtual Result<std::string> ReadInlineBody(std::string_view shortlink) {
    return Internal("paste " + std::string(shortlink) + ": this store never leaves a body out");
  }

  // As Get, for an event loop: answers only if that needs no wait (no disk
  // read, no lock, no network), else kWouldBlock and the caller asks Get
  // on a worker. Stores that cannot tell always say kWouldBlock.
  // Thread-safe.
  virtual Result<PasteRecord> GetWithoutWaiting(std::string_view /*shortlink*/) {
    return Status(Code::kWouldBlock, "this store's reads may wait");
  }
  // The calling thread's GetWithoutWaiting calls are over for now (an event
  // loop calls it after each round of events, before it waits for the
  // next): a store may keep what they opened (SQLite: a read transaction)
  // until then, and lets it go here. busy: the loop's last wait found
  // events, so more lookups are likely at once; a store may then keep it
  // a few rounds more, and asks the loop (LoopWatch::WaitAtMost) to come
  // back soon, so a round that finds nothing to do lets it go. Thread-safe.
  virtual void ReleaseReads(bool /*busy*/) {}

  // Deletes the row for shortlink (and its inline body) and returns it as
  // it was, with its inline body if it had one; kNotFound if there is none.
  // Of two concurrent deletes of a row, exactly one gets it (burn after
  // reading relies on this). Durable when it returns. Thread-safe.
  virtual Result<PasteRecord> Delete(std::string_view shortlink) = 0;

  // Deletes up to `limit` rows that expired at or before `now`, oldest
  // expiry first, in one transaction, and returns them. Uses the expires_at
  // index; the write lock is held for this batch only. Thread-safe.
  virtual Result<std::vector<PasteRecord>> DeleteExpired(int64_t now, size_t limit) = 0;

  // How many pastes the store holds and their bytes, expired ones included.
  // Never scans the table. Thread-safe.
  virtual Result<StoredTotals> Totals() = 0;

  // How many batches Get's lookups went in and how many lookups they held,
  // for a store that asks lookups waiting together in one query
  // (PostgreSQL); nullopt for one that reads each on its own. Thread-safe.
  virtual std::optional<ReadBatchTotals> ReadBatches() const { return std::nullopt; }
  // How many lookups GetLater kept on their loop while it read their pages
  // in from the disk, and the reads; nullopt for a store that does not
  // (PostgreSQL's loops ask the server instead). Thread-safe.
  virtual std::optional<PageFetchTotals> PageFetches() const { return std::nullopt; }

  // OK when the store can answer queries. Thread-safe.
  virtual Status Check() = 0;

  // Another node deleted shortlink (ForgetAll: this node may have missed
  // such news): a store that reads from copies which may lag (a replica)
  // must not answer from one that may predate the delete. Thread-safe.
  virtual void Forget(std::string_view /*shortlink*/) {}
  virtual void ForgetAll() {}
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_METADATA_STORE_H_
