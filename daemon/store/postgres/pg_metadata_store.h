// PgMetadataStore: the paste rows of several pasted nodes, shared in
// PostgreSQL, bodies in the rows (store = postgres; see DESIGN.md "Several
// nodes"). Connections come from a small pool; one the server dropped is
// replaced on the next use, so a restarted or promoted server is found
// again without restarting pasted (with a multi-host url and
// target_session_attrs=read-write, the new primary). Errors while the
// server is away are kUnavailable. Thread-safe.
//
// Bodies never are files here: the file-body maintenance of the interface
// (FileBodiesBelow, MoveBodiesInline, PastePathsWithPrefix,
// DeleteByPastePath) finds nothing to do.
#ifndef PASTEBIN_DAEMON_STORE_POSTGRES_PG_METADATA_STORE_H_
#define PASTEBIN_DAEMON_STORE_POSTGRES_PG_METADATA_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/store/metadata_store.h"
#include "daemon/store/postgres/pg.h"

namespace pastebin {

// The channel a delete notifies, with the shortlink as payload.
constexpr char kPgEvictChannel[] = "pasted_evict";

class PgMetadataStore : public MetadataStore {
 public:
  // Connects once (to fail early with a clear error) and migrates the
  // schema (pg_schema.h).
  static Result<std::unique_ptr<PgMetadataStore>> Open(const std::string& url);

  Status Insert(const PasteRecord& record) override;
  // One transaction; a taken shortlink skips its row (ON CONFLICT DO
  // NOTHING) and is kConflict, the others commit.
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override;
  Result<PasteRecord> Get(std::string_view shortlink) override;
  // Notifies kPgEvictChannel in the same transaction.
  Result<PasteRecord> Delete(std::string_view shortlink) override;
  // Rows locked by another node's gc are skipped (FOR UPDATE SKIP LOCKED):
  // gc on every node at once deletes each expired row exactly once.
  Result<std::vector<PasteRecord>> DeleteExpired(int64_t now, size_t limit) override;
  Result<std::vector<PasteRecord>> DeleteByPastePath(const std::string& path) override;
  Result<std::vector<PasteRecord>> FileBodiesBelow(int64_t size, size_t limit) override;
  Status MoveBodiesInline(const std::vector<PasteRecord>& records) override;
  Result<std::unordered_set<std::string>> PastePathsWithPrefix(
      const std::string& prefix) override;
  // Counts the table (PostgreSQL keeps no running totals for it yet).
  Result<StoredTotals> Totals() override;
  Status Check() override;

 private:
  explicit PgMetadataStore(std::string url) : url_(std::move(url)) {}
  // Runs fn with a pooled connection (a new one if none is idle); a
  // connection the server dropped is not pooled again.
  template <typename T, typename Fn>
  Result<T> WithConn(Fn fn);
  Result<std::unique_ptr<PgConn>> Take();
  void Give(std::unique_ptr<PgConn> conn);

  std::string url_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PgConn>> idle_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_METADATA_STORE_H_
