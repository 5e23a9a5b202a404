// A VFS for reads that must not wait for the disk: an event loop's lookups
// of pastes not in the cache. It is SQLite's own unix VFS, except that a
// read of the database or its WAL is a preadv2(RWF_NOWAIT) of the page
// cache: what is there is read at once (no thread hand-off, no wake-ups),
// and what is not fails with SQLITE_IOERR_READ and marks this thread's
// DiskWouldBlock(), so the caller hands the lookup to a worker, which reads
// through RandomVfsName()'s VFS: SQLite's own, reads that wait included.
//
// Both open the database file with POSIX_FADV_RANDOM: a lookup reads its
// few pages at random, and without that advice the kernel reads ahead
// around the pages missing from the page cache, for nobody. Random cold
// GETs with the page cache dropped, 3 runs each: among 1 M pastes, 1.63
// against 0.87 pages' worth read from the disk per GET, p99 5.4 against
// 2.6 ms; among 10 M, 4.29 against 1.58 pages, 21.1k against 24.3k GETs/s,
// p99 7.0 against 2.7 ms.
//
// The unix VFS keeps its descriptor in its file struct; this VFS reads it
// there and checks, when a file is opened, that it is the named file's
// (same device and inode). Should SQLite's layout ever differ, that check
// fails, and every read of that file reports DiskWouldBlock: lookups go
// back to the workers, nothing blocks.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_NOWAIT_VFS_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_NOWAIT_VFS_H_

#include <cstdint>

namespace pastebin {

// The VFSes' names for sqlite3_open_v2, registered on first use: reads
// that do not wait, and reads that do (with the same advice).
const char* NowaitVfsName();
const char* RandomVfsName();

// True when this thread's last read through the VFS found its pages not
// in memory; ClearDiskWouldBlock() before a lookup.
bool DiskWouldBlock();
void ClearDiskWouldBlock();

// Where that read was, when it was pages the page cache lacked: of the
// database or its WAL, the offset and the bytes; file kNone when it was
// not. The read that failed has made the kernel start reading those pages
// (RWF_NOWAIT reads them in all the same, and POSIX_FADV_RANDOM no more
// than them).
struct BlockedRead {
  enum class File { kNone, kDatabase, kWal };
  File file = File::kNone;
  int64_t offset = 0;
  int amount = 0;
};
BlockedRead LastBlockedRead();

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_NOWAIT_VFS_H_
