// A VFS for reads that must not wait for the disk: an event loop's lookups
// of pastes not in the cache. It is SQLite's own unix VFS, except that a
// read of the database or its WAL is a preadv2(RWF_NOWAIT) of the page
// cache: what is there is read at once (no thread hand-off, no wake-ups),
// and what is not fails with SQLITE_IOERR_READ and marks this thread's
// DiskWouldBlock(), so the caller hands the lookup to a worker, which reads
// through the ordinary VFS and waits for the disk.
//
// The unix VFS keeps its descriptor in its file struct; this VFS reads it
// there and checks, when a file is opened, that it is the named file's
// (same device and inode). Should SQLite's layout ever differ, that check
// fails, and every read of that file reports DiskWouldBlock: lookups go
// back to the workers, nothing blocks.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_NOWAIT_VFS_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_NOWAIT_VFS_H_

namespace pastebin {

// The VFS's name for sqlite3_open_v2, registered on first use.
const char* NowaitVfsName();

// True when this thread's last read through the VFS found its pages not
// in memory; ClearDiskWouldBlock() before a lookup.
bool DiskWouldBlock();
void ClearDiskWouldBlock();

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_NOWAIT_VFS_H_
