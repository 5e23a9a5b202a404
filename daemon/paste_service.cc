#include "daemon/paste_service.h"

#include "common/duration.h"
#include "common/shortlink.h"
#include "common/text.h"
#include "common/url.h"
#include "daemon/base/log.h"
#include "daemon/store/body_codec.h"
#include "daemon/token.h"

namespace pastebin {
namespace {

// A big read refused for the answer budget.
Status SendingTooMuch() {
  return Status(Code::kUnavailable, "the server is sending too much at once; try again shortly");
}

// Beside its body, what a loaded paste holds (validators, path, token hash)
// and its cache entry: PasteCache::Cost's share, with room to spare.
constexpr size_t kLoadOverheadBytes = 4096;

// With 62^7 links a collision needs billions of pastes to become likely;
// a handful of retries only matters when the space is nearly full.
constexpr int kShortlinkAttempts = 8;
constexpr size_t kDeleteTokenBytes = 16;  // 128 bits

}  // namespace

Status PasteNotFound(std::string_view shortlink) {
  return NotFound("paste " + std::string(shortlink) + " does not exist or has expired");
}

Result<int64_t> PasteService::ExpiryFor(std::optional<int64_t> requested) const {
  int64_t minutes = requested.value_or(limits_.default_expiry_minutes);
  if (minutes < 0 || minutes > kMaxExpiryMinutes) {
    return InvalidArgument("expiration of " + std::to_string(minutes) +
                           " minutes is out of range (0 to " + std::to_string(kMaxExpiryMinutes) +
                           ")");
  }
  int64_t max = limits_.max_expiry_minutes;
  if (max > 0 && minutes == 0) {
    return InvalidArgument(
        "this server does not keep pastes forever; "
        "choose an expiry up to " +
        FormatDuration(max));
  }
  if (max > 0 && minutes > max) {
    return InvalidArgument("expiry " + FormatDuration(minutes) +
                           " is longer than this server allows; choose one "
                           "up to " +
                           FormatDuration(max));
  }
  return minutes;
}

Status PasteService::CheckContents(std::string_view contents) const {
  if (static_cast<int64_t>(contents.size()) > limits_.max_paste_bytes) {
    return Status(Code::kTooLarge, "paste is " + std::to_string(contents.size()) +
                                       " bytes, over this server's limit of " +
                                       std::to_string(limits_.max_paste_bytes) +
                                       " bytes; split it or ask the operator to raise "
                                       "max_paste_bytes");
  }
  if (contents.empty()) {
    return InvalidArgument("paste is empty; there is nothing to store");
  }
  return CheckText(contents, "paste");
}

PasteRecord PasteService::EncodeRecord(std::string_view contents, EncodedBody* stored) const {
  PasteRecord r;
  r.size = static_cast<int64_t>(contents.size());
  *stored = EncodeBody(contents);
  r.codec = stored->codec;
  r.stored_size = static_cast<int64_t>(stored->bytes.size());
  r.content_hash = ContentDigest(contents);  // the ETag
  // Small bodies commit with their rows, and every body where there are
  // no files.
  if (!files_.files || r.stored_size < limits_.inline_max_bytes) {
    r.inline_body = std::move(stored->bytes);
  }
  return r;
}

Result<PasteRecord> PasteService::CheckAndEncode(const PasteOptions& options,
                                                 std::string_view contents,
                                                 std::optional<int64_t> requested_minutes,
                                                 int64_t* minutes, EncodedBody* stored) const {
  Status valid = CheckContents(contents);
  if (!valid.ok()) return valid;
  auto expiry = ExpiryFor(requested_minutes);
  if (!expiry.ok()) return expiry.status();
  if (!options.language.empty() && !IsLanguageName(options.language)) {
    return InvalidArgument("language '" + options.language +
                           "' is not a language name: use what a file extension says (py, "
                           "cpp, sh), 20 characters at most");
  }
  *minutes = *expiry;
  PasteRecord r = EncodeRecord(contents, stored);
  r.burn_after_reading = options.burn_after_reading;
  r.language = options.language;
  return r;
}

Result<NewPaste> PasteService::Create(std::string_view contents,
                                      std::optional<int64_t> requested_minutes,
                                      const PasteOptions& options) {
  int64_t minutes = 0;
  EncodedBody stored;
  auto encoded = CheckAndEncode(options, contents, requested_minutes, &minutes, &stored);
  if (!encoded.ok()) return encoded.status();
  PasteRecord r = std::move(encoded).value();
  if (r.inline_body.empty()) {
    // A file, durable before its row is queued: a row must never point at
    // a body that is not.
    auto key = files_.files->Put(stored.bytes);
    if (!key.ok()) return key.status();
    r.paste_path = *key;
  }
  auto out = Commit(std::move(r), minutes);
  // On failure the body stays: a commit that failed to sync may still have
  // written its row to SQLite's WAL, which replays it after a crash, and
  // that row must find its body. A body no row claims is gc's (the orphan
  // sweep); a row without a body would be a 404 nothing ever collects.
  if (!out.ok()) return out.status();
  Created(out->record);
  return out;
}

Status PasteService::CreateAsync(std::string_view contents,
                                 std::optional<int64_t> requested_minutes,
                                 const PasteOptions& options, CreatedFn done) {
  int64_t minutes = 0;
  EncodedBody stored;
  auto encoded = CheckAndEncode(options, contents, requested_minutes, &minutes, &stored);
  if (!encoded.ok()) return encoded.status();
  PasteRecord r = std::move(encoded).value();
  if (r.inline_body.empty()) {
    return Status(Code::kWouldBlock, "a body this large is written by a worker");
  }
  auto prepared = Prepare(std::move(r), minutes);
  if (!prepared.ok()) return prepared.status();
  SubmitNew(std::make_shared<NewPaste>(std::move(prepared).value()), 0, std::move(done));
  return Status::Ok();
}

Status PasteService::ChooseLink(PasteRecord& r) {
  if (auto keyed = metadata_.MakeLink(limits_.link_length)) {
    r.shortlink = std::move(keyed->shortlink);
    r.row_id = keyed->row_id;
    return Status::Ok();
  }
  auto link = GenerateShortlink(random_, limits_.link_length);
  if (!link.ok()) return link.status();
  r.shortlink = *std::move(link);
  r.row_id = 0;
  return Status::Ok();
}

void PasteService::SubmitNew(std::shared_ptr<NewPaste> paste, int attempt, CreatedFn done) {
  Status chosen = ChooseLink(paste->record);
  if (!chosen.ok()) return done(chosen);
  // The batcher holds the record inside paste, which this callback keeps.
  std::shared_ptr<const PasteRecord> record(paste, &paste->record);
  batcher_.Submit(record, [this, paste, attempt, done = std::move(done)](Status s) mutable {
    // The store decides uniqueness: no check-then-insert race.
    if (s.code() == Code::kConflict) {
      if (attempt + 1 < kShortlinkAttempts) return SubmitNew(paste, attempt + 1, std::move(done));
      return done(Status(Code::kUnavailable, "could not find a free shortlink; try again"));
    }
    if (!s.ok()) return done(s);
    Created(paste->record);
    paste->record.inline_body.clear();  // durable; nobody needs it now
    done(std::move(*paste));
  });
}

void PasteService::Created(const PasteRecord& record) {
  counters_.pastes_created++;
  counters_.paste_bytes_created += record.size;
}

Result<NewPaste> PasteService::CreateLink(std::string_view target,
                                          std::optional<int64_t> requested_minutes) {
  Status valid = CheckLinkTarget(target);
  if (!valid.ok()) return valid;
  auto minutes = ExpiryFor(requested_minutes);
  if (!minutes.ok()) return minutes.status();
  PasteRecord r;
  r.link_target = std::string(target);
  r.size = static_cast<int64_t>(target.size());
  r.stored_size = r.size;  // in its row
  return Commit(std::move(r), *minutes);
}

Result<NewPaste> PasteService::Prepare(PasteRecord record, int64_t minutes) {
  NewPaste out;
  out.delete_token = RandomHex(random_, kDeleteTokenBytes);
  if (out.delete_token.empty()) {
    return Status(Code::kUnavailable, "the random number generator failed");
  }
  PasteRecord& r = out.record;
  r = std::move(record);
  r.created_at = clock_.NowSeconds();
  r.expiration_length_in_minutes = minutes;
  if (minutes > 0) r.expires_at = r.created_at + 60 * minutes;
  r.delete_token_hash = HashToken(out.delete_token);
  return out;
}

Result<NewPaste> PasteService::Commit(PasteRecord record, int64_t minutes) {
  auto prepared = Prepare(std::move(record), minutes);
  if (!prepared.ok()) return prepared.status();
  NewPaste out = std::move(prepared).value();
  PasteRecord& r = out.record;

  Status inserted;
  for (int attempt = 0; attempt < kShortlinkAttempts; ++attempt) {
    inserted = ChooseLink(r);
    if (!inserted.ok()) break;
    // The store decides uniqueness: no check-then-insert race.
    inserted = batcher_.Commit(r);
    if (inserted.code() != Code::kConflict) break;
  }
  if (inserted.code() == Code::kConflict) {
    return Status(Code::kUnavailable, "could not find a free shortlink; try again");
  }
  if (!inserted.ok()) return inserted;
  return out;
}

Status PasteService::CheckOwner(std::string_view shortlink, std::string_view delete_token,
                                const std::string& what) {
  auto record = LiveRecord(shortlink);
  if (!record.ok()) return record.status();
  if (delete_token.empty()) {
    return Status(Code::kForbidden, what + " paste " + std::string(shortlink) +
                                        " needs its delete token (the X-Delete-Token header)");
  }
  if (!TokenMatches(delete_token, record->delete_token_hash)) {
    return Status(Code::kForbidden, "wrong delete token for paste " + std::string(shortlink));
  }
  return Status::Ok();
}

Status PasteService::Delete(std::string_view shortlink, std::string_view delete_token) {
  // The hash of a row never changes, so checking it before the delete
  // cannot race with anything but another delete, which then finds nothing.
  Status owner = CheckOwner(shortlink, delete_token, "deleting");
  if (!owner.ok()) {
    if (owner.code() != Code::kForbidden || delete_token.empty()) return owner;
    return Status(Code::kForbidden, owner.message() + "; nothing was deleted");
  }
  auto deleted = metadata_.Delete(shortlink);
  if (!deleted.ok()) {
    if (deleted.status().code() == Code::kNotFound) {
      return PasteNotFound(shortlink);
    }
    return deleted.status();
  }
  // The row is gone, so nobody can reach the body any more; if removing it
  // fails, gc's orphan sweep takes it later.
  cache_.Erase(shortlink);
  RemoveFile(*deleted);
  counters_.pastes_deleted++;
  return Status::Ok();
}

Result<std::string> PasteService::BodyOf(PasteRecord row) {
  if (row.link_target) return std::string();
  auto stored = StoredBody(row);
  if (!stored.ok()) return stored.status();
  auto body = DecodeBody(row.codec, *stored, row.size);
  if (!body.ok()) return Internal("paste " + row.shortlink + ": " + body.status().message());
  return body;
}

Result<std::vector<PasteService::ImportOutcome>> PasteService::Import(
    const std::vector<Imported>& batch) {
  std::vector<PasteRecord> records;
  records.reserve(batch.size());
  auto remove_files = [&](size_t from) {
    for (size_t i = from; i < records.size(); ++i) RemoveFile(records[i]);
  };
  for (const Imported& in : batch) {
    PasteRecord r;
    if (in.record.link_target) {
      r.size = static_cast<int64_t>(in.record.link_target->size());
      r.stored_size = r.size;  // in its row
    } else {
      EncodedBody stored;
      r = EncodeRecord(in.body, &stored);
      if (r.inline_body.empty() && files_.files) {
        auto key = files_.files->Put(stored.bytes);
        if (!key.ok()) {
          remove_files(0);
          return key.status();
        }
        r.paste_path = std::move(key).value();
      }
    }
    const PasteRecord& from = in.record;
    r.shortlink = from.shortlink;
    r.created_at = from.created_at;
    r.expiration_length_in_minutes = from.expiration_length_in_minutes;
    r.expires_at = from.expires_at;
    r.delete_token_hash = from.delete_token_hash;
    r.link_target = from.link_target;
    r.burn_after_reading = from.burn_after_reading;
    r.language = from.language;
    records.push_back(std::move(r));
  }
  std::vector<const PasteRecord*> pointers;
  for (const PasteRecord& r : records) pointers.push_back(&r);
  std::vector<Status> done = metadata_.InsertBatch(pointers);
  std::vector<ImportOutcome> out;
  for (size_t i = 0; i < records.size(); ++i) {
    const PasteRecord& r = records[i];
    if (done[i].ok()) {
      Created(r);
      out.push_back(ImportOutcome::kStored);
      continue;
    }
    RemoveFile(r);
    if (done[i].code() != Code::kConflict) {
      for (size_t j = i + 1; j < records.size(); ++j) {
        if (!done[j].ok()) RemoveFile(records[j]);
      }
      return done[i];
    }
    // Taken: by this very paste (imported before), or by another.
    auto there = metadata_.Get(r.shortlink);
    if (!there.ok()) return there.status();
    bool same = there->delete_token_hash == r.delete_token_hash && there->size == r.size &&
                there->link_target == r.link_target &&
                (there->content_hash.empty() || there->content_hash == r.content_hash);
    out.push_back(same ? ImportOutcome::kAlreadyThere : ImportOutcome::kTaken);
  }
  return out;
}

void PasteService::RemoveFile(const PasteRecord& row) {
  if (!row.paste_path.empty() && files_.files) files_.files->Remove(row.paste_path);
}

Result<GcStats> PasteService::CollectGarbage() {
  std::lock_guard<std::mutex> lock(gc_mu_);
  GcStats stats;
  int64_t now = clock_.NowSeconds();
  for (;;) {
    auto batch = metadata_.DeleteExpired(now, kGcBatchSize);
    if (!batch.ok()) return batch.status();
    for (const PasteRecord& r : *batch) {
      // Committed before removal: a reader either finds no row, or a row
      // whose body read fails as not found.
      cache_.Erase(r.shortlink);
      if (r.paste_path.empty()) {
        if (!r.link_target) stats.bytes_freed += r.stored_size;  // went with the row
      } else if (files_.files && files_.files->Remove(r.paste_path).ok()) {
        stats.bytes_freed += r.stored_size;
      }
      stats.deleted++;
    }
    if (batch->size() < kGcBatchSize) break;
  }
  if (files_.files) {
    Status swept = SweepFiles(now, stats);
    if (!swept.ok()) return swept;
  }
  counters_.missing_bodies += stats.missing_bodies;
  counters_.gc_runs++;
  counters_.pastes_expired += stats.deleted;
  counters_.orphans_removed += stats.orphans_removed;
  counters_.bytes_freed += stats.bytes_freed;
  return stats;
}

Status PasteService::SweepFiles(int64_t now, GcStats& stats) {
  FileBodyIndex& index = *files_.index;
  auto sweep = files_.files->RemoveOrphans(
      now, kOrphanMinAgeSeconds,
      [&index](const std::string& prefix) { return index.PastePathsWithPrefix(prefix); });
  if (!sweep.ok()) return sweep.status();
  stats.orphans_removed = sweep->files;
  stats.bytes_freed += sweep->bytes;
  // The other way round: rows whose bodies are gone.
  for (const std::string& key : sweep->missing) {
    auto removed = index.DeleteByPastePath(key);
    if (!removed.ok()) return removed.status();
    for (const PasteRecord& r : *removed) {
      cache_.Erase(r.shortlink);
      LogError("paste " + r.shortlink + " had lost its body " + key + "; its row was removed");
      stats.missing_bodies++;
    }
  }
  return Status::Ok();
}

void PasteService::RemoveRowWithoutBody(const PasteRecord& stale) {
  auto now = metadata_.Get(stale.shortlink);
  // Gone already (deleted or collected meanwhile), or a different paste.
  if (!now.ok() || now->paste_path != stale.paste_path) return;
  auto removed = metadata_.Delete(stale.shortlink);
  if (!removed.ok()) return;
  cache_.Erase(stale.shortlink);
  counters_.missing_bodies++;
  LogError("paste " + stale.shortlink + " had lost its body " + stale.paste_path +
           "; its row was removed");
}

Result<int64_t> PasteService::MoveSmallBodiesInline() {
  int64_t moved = 0;
  if (!files_.files) return moved;
  for (;;) {
    // A body is inline if it is small as stored; stored is at most as
    // pasted, so size < inline_max_bytes finds every candidate.
    auto batch = files_.index->FileBodiesBelow(limits_.inline_max_bytes, kGcBatchSize);
    if (!batch.ok()) return batch.status();
    std::vector<PasteRecord> inline_now;
    size_t lost = 0;
    for (PasteRecord& r : *batch) {
      auto file = files_.files->Read(r.paste_path);
      if (!file.ok()) {
        if (file.status().code() != Code::kNotFound) return file.status();
        RemoveRowWithoutBody(r);
        lost++;
        continue;
      }
      auto body = DecodeBody(r.codec, *file, r.size);
      if (!body.ok()) return Internal("paste " + r.shortlink + ": " + body.status().message());
      EncodedBody stored = EncodeBody(*body);
      r.codec = stored.codec;
      r.stored_size = static_cast<int64_t>(stored.bytes.size());
      r.inline_body = std::move(stored.bytes);
      inline_now.push_back(std::move(r));
    }
    // One transaction a batch; the files go once it committed.
    Status s = files_.index->MoveBodiesInline(inline_now);
    if (!s.ok()) return s;
    for (const PasteRecord& r : inline_now) RemoveFile(r);
    moved += static_cast<int64_t>(inline_now.size());
    if (inline_now.empty() && lost == 0) return moved;  // nothing left to do
  }
}

Status PasteService::CheckReady() {
  Status s = metadata_.Check();
  if (!s.ok()) {
    LogError("not ready: the metadata store failed: " + s.message());
    return Status(Code::kUnavailable, "the database cannot answer");
  }
  // Room for the largest paste and a margin for the database to grow.
  if (!files_.files) return Status::Ok();
  return files_.files->CheckWritable(limits_.max_paste_bytes + (1 << 20));
}

Result<PasteRecord> PasteService::LiveRecord(std::string_view shortlink, bool may_block,
                                             const FetchedRow* fetched) {
  if (!IsValidShortlink(shortlink)) return PasteNotFound(shortlink);
  auto record = fetched     ? fetched->row
                : may_block ? metadata_.Get(shortlink)
                            : metadata_.GetWithoutWaiting(shortlink);
  if (!record.ok()) {
    if (record.status().code() == Code::kNotFound) {
      return PasteNotFound(shortlink);
    }
    return record.status();
  }
  if (record->ExpiredAt(clock_.NowSeconds())) return PasteNotFound(shortlink);
  return record;
}

Result<std::string> PasteService::StoredBody(PasteRecord& row) {
  if (row.body_left_out) return metadata_.ReadInlineBody(row.shortlink);
  if (!row.paste_path.empty()) {
    if (!files_.files)
      return Internal("paste " + row.shortlink + " names a file in a store without files");
    return files_.files->Read(row.paste_path);
  }
  std::string bytes = std::move(row.inline_body);
  row.inline_body.clear();
  return bytes;
}

bool PasteService::FetchLater(std::string_view shortlink,
                              std::function<void(std::shared_ptr<const FetchedRow>)> then) {
  // The epoch from before the row is read: a delete meanwhile keeps the
  // row out of the cache (PasteCache::Insert).
  uint64_t epoch = cache_.Epoch(shortlink);
  std::string link(shortlink);
  return metadata_.GetLater(shortlink,
                            [link, epoch, then = std::move(then)](Result<PasteRecord> row) {
                              auto fetched = std::make_shared<FetchedRow>();
                              fetched->shortlink = link;
                              fetched->epoch = epoch;
                              fetched->row = std::move(row);
                              then(std::move(fetched));
                            });
}

Result<std::shared_ptr<const StoredPaste>> PasteService::Get(std::string_view shortlink,
                                                             bool may_block,
                                                             const FetchedRow* fetched) {
  if (auto hit = cache_.Get(shortlink)) {
    if (hit->record.ExpiredAt(clock_.NowSeconds())) {
      cache_.Erase(shortlink);
      return PasteNotFound(shortlink);
    }
    counters_.cache_hits++;
    return hit;
  }
  // On an event loop, a miss is looked up only if the store can answer
  // without waiting (its pages in memory), and loaded only if its body is
  // in the row and small; else a worker asks again.
  uint64_t epoch = fetched ? fetched->epoch : cache_.Epoch(shortlink);
  auto record = LiveRecord(shortlink, may_block, fetched);
  if (record.status().code() == Code::kWouldBlock) return record.status();
  if (!may_block && record.ok() &&
      (!record->paste_path.empty() || record->size > kLoadWithoutWaitingBytes)) {
    return Status(Code::kWouldBlock, "paste " + record->shortlink + " is read by a worker");
  }
  counters_.cache_misses++;
  if (!may_block) counters_.misses_without_waiting++;
  if (!record.ok()) return record.status();
  if (record->link_target) {  // a short link: there is no body to read
    auto link = std::make_shared<StoredPaste>();
    link->record = std::move(record).value();
    cache_.Insert(link, epoch);
    return std::shared_ptr<const StoredPaste>(std::move(link));
  }
  PasteRecord row = std::move(record).value();
  auto charge = ReserveLoad(row);
  if (!charge.ok()) return charge.status();
  auto body_bytes = StoredBody(row);
  if (!body_bytes.ok()) {
    if (body_bytes.status().code() != Code::kNotFound) return body_bytes.status();
    // Deleted between the row lookup and the read, or lost: repair a row
    // that outlived its body.
    RemoveRowWithoutBody(row);
    return PasteNotFound(shortlink);
  }
  std::string stored = std::move(body_bytes).value();
  auto body = DecodeBody(row.codec, stored, row.size);
  if (!body.ok()) {
    return Internal("paste " + row.shortlink + ": " + body.status().message());
  }
  auto paste = std::make_shared<StoredPaste>();
  paste->record = std::move(row);
  paste->contents = std::move(body).value();
  if (paste->record.codec == BodyCodec::kZstd) paste->zstd = std::move(stored);
  // Pastes from before digests were kept get theirs now.
  if (paste->record.content_hash.empty()) {
    paste->record.content_hash = ContentDigest(paste->contents);
  }
  if (on_load_) on_load_(*paste);
  if (!KeepCharge(*paste, std::move(charge).value())) {
    return SendingTooMuch();
  }
  // One reading only: a cached copy could be served twice.
  if (!paste->record.burn_after_reading) cache_.Insert(paste, epoch);
  return std::shared_ptr<const StoredPaste>(std::move(paste));
}

Result<std::shared_ptr<MemoryCharge>> PasteService::ReserveLoad(const PasteRecord& row) {
  // As much as a paste can take while read and decoded (the stored bytes,
  // the decoded ones and a compressed copy kept for sending), drawn before
  // its body is read, not after: readers of big pastes at once cannot take
  // pasted past the budget in the moment before they would be refused.
  const size_t stored = static_cast<size_t>(row.stored_size > 0 ? row.stored_size : row.size);
  const size_t at_most = static_cast<size_t>(row.size) + 2 * stored + kLoadOverheadBytes;
  if (!big_reads_ || cache_.Cacheable(at_most)) return std::shared_ptr<MemoryCharge>();
  auto charge = std::make_shared<MemoryCharge>(*big_reads_);
  if (!charge->GrowTo(at_most)) {
    return SendingTooMuch();
  }
  return charge;
}

bool PasteService::KeepCharge(StoredPaste& paste, std::shared_ptr<MemoryCharge> charge) {
  size_t cost = PasteCache::Cost(paste);
  if (!big_reads_ || cache_.Cacheable(cost)) return true;
  if (!charge) charge = std::make_shared<MemoryCharge>(*big_reads_);
  charge->ShrinkTo(cost);
  bool room = charge->GrowTo(cost);
  paste.charge = std::move(charge);
  return room;
}

Result<std::shared_ptr<const StoredPaste>> PasteService::Burn(std::string_view shortlink,
                                                              const PasteRecord* read) {
  if (!IsValidShortlink(shortlink)) return PasteNotFound(shortlink);
  // Reserved before the delete: refused after it, the paste would be lost
  // unread. The row says how much: the one read, or one more lookup.
  std::shared_ptr<MemoryCharge> charge;
  if (big_reads_) {
    Result<PasteRecord> row = Status(Code::kNotFound, "not read");
    if (!read) {
      row = metadata_.Get(shortlink);
      if (!row.ok()) {
        return row.status().code() == Code::kNotFound ? PasteNotFound(shortlink) : row.status();
      }
      read = &*row;
    }
    auto reserved = ReserveLoad(*read);
    if (!reserved.ok()) return reserved.status();
    charge = std::move(reserved).value();
  }
  auto deleted = metadata_.Delete(shortlink);
  if (!deleted.ok()) {
    if (deleted.status().code() == Code::kNotFound) return PasteNotFound(shortlink);
    return deleted.status();
  }
  cache_.Erase(shortlink);
  counters_.pastes_deleted++;
  PasteRecord row = std::move(deleted).value();
  auto body_bytes = StoredBody(row);
  // The row is gone: nothing else reads the file.
  RemoveFile(row);
  if (!body_bytes.ok()) {
    return body_bytes.status().code() == Code::kNotFound ? PasteNotFound(shortlink)
                                                         : body_bytes.status();
  }
  std::string stored = std::move(body_bytes).value();
  if (row.ExpiredAt(clock_.NowSeconds())) return PasteNotFound(shortlink);
  auto body = DecodeBody(row.codec, stored, row.size);
  if (!body.ok()) return Internal("paste " + row.shortlink + ": " + body.status().message());
  auto paste = std::make_shared<StoredPaste>();
  paste->record = std::move(row);
  paste->contents = std::move(body).value();
  if (on_load_) on_load_(*paste);
  // Deleted already: sent even should it cost more than was reserved.
  KeepCharge(*paste, std::move(charge));
  return std::shared_ptr<const StoredPaste>(std::move(paste));
}

}  // namespace pastebin
