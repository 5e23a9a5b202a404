// SqliteMetadataStore: paste metadata, and small paste bodies, in one SQLite
// file in WAL mode.
//
// Writes go through one connection under a mutex with synchronous=FULL, so a
// commit is on disk when Insert returns: a small body is a column of its row
// (schema.cc, storage v3). Reads use a pool of connections, one per
// concurrent reader, so they never wait for a writer (WAL readers see the
// last committed state).
// Checkpoints run beside the writer (WalCheckpointer), not inside commits.
// New pastes get keyed links (MakeLink: the row's number, encrypted with the
// file's key, link_cipher.h), found by their row without an index; older
// and imported links are in the partial index pastes_shortlink.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_METADATA_STORE_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_METADATA_STORE_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon/base/loop_watch.h"
#include "daemon/base/per_loop.h"
#include "daemon/store/archive.h"
#include "daemon/store/file_bodies.h"
#include "daemon/store/link_cipher.h"
#include "daemon/store/metadata_store.h"
#include "daemon/store/sqlite/sqlite.h"
#include "daemon/store/sqlite/wal_checkpointer.h"

namespace pastebin {

// Also the index of the content directory's files (FileBodyIndex), and
// the rows pasted export walks (PasteRows).
class SqliteMetadataStore : public MetadataStore, public FileBodyIndex, public PasteRows {
 public:
  // A busy event loop keeps its read transaction for this many rounds at
  // most (ReleaseReads), so it sees other processes' commits (pasted
  // import's) after as many rounds; and while it keeps one, it waits this
  // long at most for events, so a stale read pins no WAL frame for longer.
  // Against a read a round (cold reads among 1 M, cache off, 16
  // connections: about one lookup a round), 20 alternating runs of 2 s:
  // 38.6 against 44.3 µs of pasted's CPU a read, lower in 18 pairs; the
  // read's fcntl and fstatat calls fell from 0.34 and 0.35 a GET to 0.002
  // and 0.02.
  static constexpr int kHeldRounds = 32;
  static constexpr int kHeldWaitMs = 5;

  // Opens or creates the database at path and migrates it to the current
  // schema (schema.h); a newer database is refused.
  // wal_limit: the bytes its write-ahead log may reach (WalCheckpointer).
  // may_move: whether the caller holds the data dir's lock, so that an older
  // file's rows may move to storage v3 (MigrateSchema); else it is refused.
  static Result<std::unique_ptr<SqliteMetadataStore>> Open(
      const std::string& path, int64_t wal_limit = WalCheckpointer::kDefaultLimit,
      bool may_move = true);
  ~SqliteMetadataStore() override;

  // The next row number, encrypted with the file's link key (link_key):
  // never a number a row has had, nor a reserved word.
  std::optional<KeyedLink> MakeLink(size_t length) override;

  Status Insert(const PasteRecord& record) override;
  std::vector<Status> InsertBatch(const std::vector<const PasteRecord*>& records) override;
  // Commits with synchronous = NORMAL: SQLite writes the WAL's frames and
  // makes them visible without syncing, and SyncCommits syncs the WAL
  // (WalCheckpointer::SyncWal), on the committer's second thread while the
  // next batch goes in.
  std::vector<Status> InsertBatchUnsynced(const std::vector<const PasteRecord*>& records,
                                          bool* sync_needed) override;
  void SyncCommits() override;
  Result<PasteRecord> Get(std::string_view shortlink) override;
  // Through the no-wait VFS (nowait_vfs.h): the pages the lookup needs must
  // be in the page cache, and no lock may be held against it. The thread's
  // read transaction stays open for its next lookups, until ReleaseReads
  // or until the writer commits: each lookup sees every commit that had
  // returned before it began.
  Result<PasteRecord> GetWithoutWaiting(std::string_view shortlink) override;
  // On an event loop whose GetWithoutWaiting found a page on the disk:
  // reads it in through the loop's PageFetcher (no thread waits), asks
  // again without waiting once it is in, and calls done(row) on the loop.
  // A lookup that still lacks a page after kFetchesALookup reads, or a
  // read that cannot start, is answered kWouldBlock: a reader asks. False
  // (done never called) off a loop, when the last lookup did not miss a
  // page, or where io_uring cannot be had.
  bool GetLater(std::string_view shortlink, std::function<void(Result<PasteRecord>)> done) override;
  static constexpr int kFetchesALookup = 4;
  std::optional<PageFetchTotals> PageFetches() const override {
    return PageFetchTotals{fetched_lookups_.load(), page_fetches_.load()};
  }
  // Lets the thread's read go unless busy, on an event loop, for fewer than
  // kHeldRounds rounds, with no commit of the writer's since it began and
  // no restart of the WAL near; then the loop's next wait lasts
  // kHeldWaitMs at most. So a busy loop begins a read every few rounds,
  // not every round, and an idle one keeps none.
  void ReleaseReads(bool busy) override;
  Result<PasteRecord> Delete(std::string_view shortlink) override;
  Result<std::vector<PasteRecord>> DeleteExpired(int64_t now, size_t limit) override;
  Result<std::vector<PasteRecord>> DeleteByPastePath(const std::string& path) override;
  Result<std::vector<PasteRecord>> FileBodiesBelow(int64_t size, size_t limit) override;
  Status MoveBodiesInline(const std::vector<PasteRecord>& records) override;
  Result<std::unordered_set<std::string>> PastePathsWithPrefix(const std::string& prefix) override;
  Result<StoredTotals> Totals() override;
  Status Check() override;
  Result<std::vector<PasteRecord>> RowsAfter(std::string_view after, size_t limit) override;

 private:
  // A read connection with its prepared statements.
  struct Reader {
    std::unique_ptr<SqliteDb> db;
    std::unique_ptr<SqliteStmt> get;          // by number (keyed links)
    std::unique_ptr<SqliteStmt> get_indexed;  // by the index (the others)
    std::unique_ptr<SqliteStmt> paths_with_prefix;
    // No-wait readers: their read transaction, kept open between lookups.
    std::unique_ptr<SqliteStmt> begin;
    std::unique_ptr<SqliteStmt> rollback;
    bool reading = false;  // begun, not yet rolled back
    uint64_t commits = 0;  // the writer's commits before it began
    int rounds = 0;        // busy rounds it has been kept for
  };
  // A no-wait reader a thread keeps between its lookups (GetWithoutWaiting).
  struct HeldReader {
    std::thread::id thread;
    std::unique_ptr<Reader> reader;
  };
  // A loop's lookups waiting for their pages, and its fetcher (null when
  // io_uring could not be had).
  struct LoopFetches;
  LoopFetches* FetchesOf(LoopWatch* loop);
  // The page lookup `tag` waited for is in: asks again, or reads the next.
  void OnFetched(LoopFetches& f, uint64_t tag);
  // Starts reading the page this thread's last lookup missed, for tag.
  bool FetchMissed(LoopFetches& f, uint64_t tag);
  // This thread's held reader, taken out of held_ (nullptr: none).
  std::unique_ptr<Reader> TakeHeldReader();
  // Ends r's read transaction, if one is open.
  static void EndRead(Reader& r);
  // InsertBatch with write_mu_ held.
  std::vector<Status> InsertBatchLocked(const std::vector<const PasteRecord*>& records);
  SqliteMetadataStore(std::string path, int64_t wal_limit);
  Status Init(bool may_move);
  // Reads the file's link key, making it if the file has none yet, and
  // the first row number MakeLink may give.
  Status LoadLinkKey();
  // Binds a statement's link (?1) and the row number it would be keyed to
  // (?number_at, NULL for a link no keyed row can have): see ByLink. False
  // when it bound NULL.
  bool BindLink(SqliteStmt& st, std::string_view shortlink, int number_at = 2) const;
  // The row of shortlink, through r's two statements (ByLink's halves).
  Result<PasteRecord> Lookup(Reader& r, std::string_view shortlink);
  // next_id_ = max(next_id_, at_least).
  void RaiseNextId(int64_t at_least);
  // Runs the insert statement for r; the caller holds write_mu_.
  Status InsertLocked(const PasteRecord& r);
  // Deletes every row select (bound by the caller) returns and returns
  // them; the caller holds write_mu_ inside a transaction.
  Result<std::vector<PasteRecord>> DeleteSelectedLocked(SqliteStmt& select);
  // A pooled reader; a no-wait one (nowait_vfs.h) for nowait.
  Result<std::unique_ptr<Reader>> CheckoutReader(bool nowait = false);
  void ReturnReader(std::unique_ptr<Reader> reader, bool nowait = false);
  // Runs fn on a pooled reader and returns the reader to the pool.
  template <typename T, typename Fn>
  Result<T> WithReader(Fn fn);
  // Runs fn inside BEGIN IMMEDIATE ... COMMIT on the writer (lock held),
  // rolling back if fn fails.
  template <typename T, typename Fn>
  Result<T> InWriteTransaction(Fn fn);

  std::string path_;
  int64_t wal_limit_;
  std::mutex write_mu_;
  std::unique_ptr<SqliteDb> writer_;
  std::unique_ptr<WalCheckpointer> checkpointer_;
  std::unique_ptr<SqliteStmt> insert_;
  std::unique_ptr<SqliteStmt> move_inline_;
  std::unique_ptr<SqliteStmt> select_small_files_;
  std::unique_ptr<SqliteStmt> writer_get_;
  std::unique_ptr<SqliteStmt> delete_;
  std::unique_ptr<SqliteStmt> select_expired_;
  std::unique_ptr<SqliteStmt> select_by_path_;
  std::unique_ptr<SqliteStmt> begin_;
  std::unique_ptr<SqliteStmt> commit_;
  std::unique_ptr<SqliteStmt> rollback_;

  std::unique_ptr<SqliteStmt> link_taken_;
  std::optional<LinkCipher> cipher_;
  std::atomic<int64_t> next_id_{1};
  // This process holds the data dir's lock (may_move): the only one that
  // makes links (MakeLink), so next_id_ bounds every keyed row's number.
  bool makes_links_ = false;
  // RowsAfter's connection, with its snapshot of every link in order.
  std::mutex export_mu_;
  std::unique_ptr<SqliteDb> export_db_;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Reader>> idle_readers_;
  std::vector<std::unique_ptr<Reader>> idle_nowait_readers_;
  std::vector<HeldReader> held_;  // one a thread at most (the loops)
  PerLoop<LoopFetches> fetches_;
  std::atomic<int64_t> fetched_lookups_{0};
  std::atomic<int64_t> page_fetches_{0};
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_SQLITE_METADATA_STORE_H_
