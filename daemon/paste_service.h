// PasteService: the write and read paths, independent of HTTP (it includes
// nothing from http/, front/, api/ or web/). Every way of creating or
// reading a paste goes through here, so limits, validation and expiry are
// enforced in one place; only it reaches the stores.
#ifndef PASTEBIN_DAEMON_PASTE_SERVICE_H_
#define PASTEBIN_DAEMON_PASTE_SERVICE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "common/shortlink.h"
#include "common/status.h"
#include "daemon/base/memory_budget.h"
#include "daemon/metrics.h"
#include "daemon/paste_cache.h"
#include "daemon/store/body_codec.h"
#include "daemon/store/file_bodies.h"
#include "daemon/store/metadata_store.h"
#include "daemon/store/write_batcher.h"

namespace pastebin {

// What the server allows, derived once from the settings (Daemon::Open):
// the service enforces it, and /api/v1/info, the home page and every
// create path read it from PasteService::limits().
struct PasteLimits {
  int64_t max_paste_bytes = 10 * 1024 * 1024;
  // Minutes; 0 = never. The default applies when a client names no expiry:
  // the effective one (with a maximum and no default set, the maximum).
  int64_t default_expiry_minutes = 0;
  // Minutes; 0 = no maximum. With a maximum, "never" is refused too.
  int64_t max_expiry_minutes = 0;
  // Bytes of hot pastes kept in memory; 0 = no cache.
  size_t cache_bytes = 32 << 20;
  // Bodies smaller than this, as stored, live in the database; larger ones
  // are files (where the store has FileBodies; else every body is inline).
  int64_t inline_max_bytes = 64 << 10;
  // Characters of new links (link_length).
  size_t link_length = kShortlinkLength;
};

// A paste's row as PasteService::FetchLater brought it, for a second run of
// the request that asked.
struct FetchedRow {
  std::string shortlink;
  uint64_t epoch = 0;  // the cache's epoch for it when it was asked for
  Result<PasteRecord> row = Status(Code::kInternal, "not fetched");
};

// What one gc run did.
struct GcStats {
  int64_t deleted = 0;          // expired pastes removed
  int64_t orphans_removed = 0;  // bodies no row pointed at
  int64_t bytes_freed = 0;      // bytes of both
  int64_t missing_bodies = 0;   // rows removed because their body was gone
};

// Bodies younger than this are never treated as orphans: they may belong to
// a paste whose row is being committed.
constexpr int64_t kOrphanMinAgeSeconds = 60 * 60;

// The largest paste an event loop loads itself on a cache miss (decoding
// it, hashing an old one): bigger ones are a worker's.
constexpr int64_t kLoadWithoutWaitingBytes = 64 << 10;
// Rows deleted per gc transaction; the write lock is released in between.
constexpr size_t kGcBatchSize = 500;

// What a creator may ask of a paste besides its expiry.
struct PasteOptions {
  bool burn_after_reading = false;  // served once, then gone (see Burn)
  std::string language;             // for highlighting ("py"); IsLanguageName or ""
};

struct NewPaste {
  PasteRecord record;
  std::string delete_token;  // shown to the creator once, stored hashed
};

class PasteService {
 public:
  // Runs on every paste read from the stores before it is cached or
  // handed out (on a reader or worker, never the event loop): the place for
  // whoever answers with pastes to attach what it derives from them once
  // (HTTP validators, say). May be empty.
  using LoadHook = std::function<void(StoredPaste&)>;

  // The service uses, but does not own, its collaborators; they must outlive
  // it. files: where large bodies go, or empty for a store that keeps every
  // body in its row. Thread-safe when they are.
  // big_reads: what a paste too big to cache draws on while it is read
  // (shared by its concurrent readers; the HTTP server's answer budget),
  // or null for no bound.
  PasteService(MetadataStore& metadata, FileBodies files, const Clock& clock, Random& random,
               PasteLimits limits, LoadHook on_load = nullptr, MemoryBudget* big_reads = nullptr)
      : metadata_(metadata),
        files_(files),
        clock_(clock),
        random_(random),
        limits_(limits),
        on_load_(std::move(on_load)),
        big_reads_(big_reads),
        batcher_(metadata),
        cache_(limits.cache_bytes) {}

  // Stores a paste and returns once body and row are durable: a small body
  // (under inline_max_bytes as stored, zstd-compressed when that saves
  // space) commits with its row, together with concurrent creates (see
  // WriteBatcher); a larger one is written and synced as a file first.
  // expiration_minutes: nullopt for the server's default, 0 for never.
  // Fails with kTooLarge over max_paste_bytes, kNotText for non-UTF-8 or
  // NUL bytes, kInvalidArgument for an empty paste or an expiry out of
  // range or over the server's maximum, kInsufficientStorage on a full disk;
  // nothing is left behind on failure.
  // kInvalidArgument too for a language that is no IsLanguageName.
  Result<NewPaste> Create(std::string_view contents, std::optional<int64_t> expiration_minutes,
                          const PasteOptions& options = {});

  // Create without waiting, for an event loop: checks and encodes the
  // paste now (errors as for Create, returned at once), then queues it for
  // the next group commit and returns OK; done runs later, on the
  // committer thread, with the new paste or the error. A body that would
  // be a file (over inline_max_bytes as stored) is kWouldBlock: Create it
  // on a worker. done must not block.
  using CreatedFn = std::function<void(Result<NewPaste>)>;
  Status CreateAsync(std::string_view contents, std::optional<int64_t> expiration_minutes,
                     const PasteOptions& options, CreatedFn done);

  // The paste if it exists and has not expired, else kNotFound with a
  // message naming the link. Served from the cache when it is there. A row
  // whose body is gone (lost to a crash or by hand) is removed, and the
  // paste is not found; otherwise reads never write.
  // With may_block false (the event loop) a miss is looked up only as far
  // as the store answers without waiting (MetadataStore::GetWithoutWaiting)
  // and loaded only if its body is in its row and at most
  // kLoadWithoutWaitingBytes; else kWouldBlock, to be asked again on a
  // worker. Readers of a paste too
  // big to cache share one copy while any holds it; kUnavailable when
  // big_reads has no room for another.
  // fetched: the row FetchLater brought for this request, used instead of
  // asking the store again.
  Result<std::shared_ptr<const StoredPaste>> Get(std::string_view shortlink, bool may_block = true,
                                                 const FetchedRow* fetched = nullptr);

  // For an event loop whose Get said kWouldBlock: asks the store for
  // shortlink's row without a thread waiting for it, where the store can
  // (PostgreSQL asks for many at once), and runs then(row) with it later
  // on the store's thread; pass the row to Get. False where the store
  // cannot (then is never called): ask Get on a reader.
  bool FetchLater(std::string_view shortlink,
                  std::function<void(std::shared_ptr<const FetchedRow>)> then);

  // A burn-after-reading paste's one reading: deletes its row and body and
  // returns it, its last copy; kNotFound once it is gone (read, deleted or
  // expired). Of two concurrent calls exactly one gets it: the store's
  // delete decides. Get finds such a paste without burning it (and never
  // caches it), so that a HEAD or a page asking first can look. Blocks.
  // read: the paste's row as Get just found it, which says what to reserve
  // from the answer budget before the delete; without it the store is asked.
  Result<std::shared_ptr<const StoredPaste>> Burn(std::string_view shortlink,
                                                  const PasteRecord* read = nullptr);

  // Stores a short link to target (an absolute http:// or https:// URL, see
  // CheckLinkTarget): a row without a body, in the same link space, with
  // the same expiry rules, delete token and statistics as a paste.
  // kInvalidArgument for a bad URL or expiry.
  Result<NewPaste> CreateLink(std::string_view target, std::optional<int64_t> expiration_minutes);

  // OK when delete_token is the token of shortlink's paste (or short
  // link): what its owner shows. kNotFound if it does not exist or has
  // expired, kForbidden for a missing or wrong token; what names the act
  // in the messages ("deleting", "the statistics of").
  Status CheckOwner(std::string_view shortlink, std::string_view delete_token,
                    const std::string& what);

  // Deletes a paste, row first, then body, if delete_token is its token.
  // kNotFound if it does not exist or has expired, kForbidden (and nothing
  // changes) for a missing or wrong token.
  Status Delete(std::string_view shortlink, std::string_view delete_token);

  // Deletes every expired paste (in batches of kGcBatchSize, row before
  // body, so readers never find a row whose body is gone), then bodies
  // no row points at that are older than kOrphanMinAgeSeconds, and rows
  // whose bodies are gone (see Get). Runs one at a time; a second caller
  // waits.
  Result<GcStats> CollectGarbage();

  // Moves bodies that are files but small enough to be inline (data dirs
  // from before storage v2) into the database, a batch at a time; returns
  // how many moved (0 without FileBodies). Each file is removed once its
  // row names the inline copy. For start-up.
  Result<int64_t> MoveSmallBodiesInline();

  // pasted export: row's body as pasted, from its row or its file; kNotFound
  // when its file is gone (the paste was deleted since the row was read).
  Result<std::string> BodyOf(PasteRecord row);

  // pasted import: pastes another store exported (or another pastebin
  // held), each under its own link with its own times, delete token hash,
  // burn flag and language (record's), its body as pasted (or record's
  // link_target for a short link). Bodies are encoded and placed as Create
  // places them (inline, or files first), and the rows go in in one
  // transaction. Per paste: kStored; kAlreadyThere when its link holds this
  // same paste (same token hash, size and bytes: an import run again);
  // kTaken when it holds another. An error when the batch could not be
  // stored (nothing of it is left behind).
  struct Imported {
    PasteRecord record;
    std::string body;
  };
  enum class ImportOutcome { kStored, kAlreadyThere, kTaken };
  Result<std::vector<ImportOutcome>> Import(const std::vector<Imported>& batch);

  // OK when a paste of max_paste_bytes could be stored now: the metadata
  // store answers and the body store is writable with room to spare.
  // Probes the disk: callers should not ask more than about once a second.
  Status CheckReady();

  // Pastes held and their bytes (see MetadataStore::Totals).
  Result<StoredTotals> Totals() { return metadata_.Totals(); }
  std::optional<ReadBatchTotals> ReadBatches() const { return metadata_.ReadBatches(); }
  std::optional<PageFetchTotals> PageFetches() const { return metadata_.PageFetches(); }

  // Another node deleted shortlink (or may have: everything): forget what
  // this node's cache holds of it, and have the store distrust its lagging
  // copies of it (MetadataStore::Forget). Thread-safe.
  void Forget(std::string_view shortlink) {
    metadata_.Forget(shortlink);
    cache_.Erase(shortlink);
  }
  void ForgetAll() {
    metadata_.ForgetAll();
    cache_.Clear();
  }

  const PasteLimits& limits() const { return limits_; }
  const PasteCounters& counters() const { return counters_; }
  const WriteBatcher& batcher() const { return batcher_; }
  const PasteCache& cache() const { return cache_; }

 private:
  // The expiry in minutes for a request (nullopt: the default), or why not.
  Result<int64_t> ExpiryFor(std::optional<int64_t> requested) const;
  // OK for contents a paste may hold (size, text), or why not.
  Status CheckContents(std::string_view contents) const;
  // CheckContents and ExpiryFor (the expiry into *minutes), then
  // EncodeRecord: what Create and CreateAsync both do first.
  Result<PasteRecord> CheckAndEncode(const PasteOptions& options, std::string_view contents,
                                     std::optional<int64_t> requested_minutes, int64_t* minutes,
                                     EncodedBody* stored) const;
  // The record for contents: sizes, codec, and the inline body when it is
  // small enough; else the encoded bytes are left in *stored, for a file.
  PasteRecord EncodeRecord(std::string_view contents, EncodedBody* stored) const;
  // The stored bytes of row's body, as stored (maybe compressed): its
  // inline bytes, moved out of the row, or its file's (the read's error as
  // it is, kNotFound for a file that is gone).
  Result<std::string> StoredBody(PasteRecord& row);
  // For a paste too big to cache, the charge to big_reads that covers its
  // load at most (null when there is nothing to charge); kUnavailable when
  // the budget has no room. Taken before its body is read.
  Result<std::shared_ptr<MemoryCharge>> ReserveLoad(const PasteRecord& row);
  // Cuts charge to what the loaded paste costs (grown as far as the budget
  // lets it) and leaves it with paste, held while the paste is; none for a
  // paste the cache may keep. False when the budget had no room for it all.
  bool KeepCharge(StoredPaste& paste, std::shared_ptr<MemoryCharge> charge);
  // Removes a body file, if row's body is one.
  void RemoveFile(const PasteRecord& row);
  // The file-body half of gc: orphaned files, rows whose files are gone.
  Status SweepFiles(int64_t now, GcStats& stats);
  // Gives record its times and a delete token (no shortlink yet).
  Result<NewPaste> Prepare(PasteRecord record, int64_t minutes);

  // Prepares record, then commits it under a free shortlink, waiting.
  Result<NewPaste> Commit(PasteRecord record, int64_t minutes);
  // Queues paste under a fresh shortlink, and again on a collision.
  void SubmitNew(std::shared_ptr<NewPaste> paste, int attempt, CreatedFn done);
  // A new paste's link: the store's own (MetadataStore::MakeLink), or one
  // drawn at random.
  Status ChooseLink(PasteRecord& r);
  // Counts a paste stored.
  void Created(const PasteRecord& record);
  // Deletes the row of a paste whose body read found nothing, if the row is
  // still there and still names that body.
  void RemoveRowWithoutBody(const PasteRecord& stale);
  // The row for shortlink unless it is malformed, unknown or expired
  // (kNotFound naming the link); without may_block, kWouldBlock when the
  // store would have to wait to tell.
  // fetched: the row as FetchLater brought it, instead of the store's.
  Result<PasteRecord> LiveRecord(std::string_view shortlink, bool may_block = true,
                                 const FetchedRow* fetched = nullptr);

  MetadataStore& metadata_;
  FileBodies files_;
  const Clock& clock_;
  Random& random_;
  PasteLimits limits_;
  LoadHook on_load_;
  MemoryBudget* big_reads_;
  PasteCounters counters_;
  WriteBatcher batcher_;
  PasteCache cache_;
  std::mutex gc_mu_;
};

// The message for a link that cannot be served, the same whether it never
// existed, expired or was deleted, so that nothing leaks about which.
Status PasteNotFound(std::string_view shortlink);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_PASTE_SERVICE_H_
