#include "daemon/store/sqlite/nowait_vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <cstddef>
#include <mutex>

#include "daemon/store/sqlite/sqlite.h"

namespace pastebin {
namespace {

thread_local bool t_would_block = false;
thread_local BlockedRead t_blocked;  // where, when known

sqlite3_vfs g_vfs;         // ours: the default VFS with xOpen replaced
sqlite3_vfs g_random_vfs;  // the same, whose reads wait for the disk
sqlite3_vfs* g_real;       // the default (unix) VFS
sqlite3_io_methods g_methods;

struct NowaitFile {
  sqlite3_file base;   // its methods: g_methods
  sqlite3_file* real;  // the unix VFS's file, in the same allocation
  int fd;              // its descriptor, or -1 when it could not be checked
  bool guarded;        // the database or its WAL: never wait for the disk
  BlockedRead::File which;
};

// The unix VFS's file struct starts with its methods, its VFS and its inode
// info, then the descriptor (SQLite 3.7 to 3.46 at least). Checked against
// the named file before it is used.
int DescriptorOf(sqlite3_file* real, const char* name) {
  if (name == nullptr) return -1;
  int fd = *reinterpret_cast<const int*>(reinterpret_cast<const char*>(real) + 3 * sizeof(void*));
  struct stat open_st, named_st;
  if (fd < 0 || fstat(fd, &open_st) != 0 || stat(name, &named_st) != 0) return -1;
  if (open_st.st_dev != named_st.st_dev || open_st.st_ino != named_st.st_ino) return -1;
  return fd;
}

NowaitFile* Of(sqlite3_file* f) { return reinterpret_cast<NowaitFile*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Of(f)->real; }

int Read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  NowaitFile* file = Of(f);
  if (!file->guarded) return file->real->pMethods->xRead(file->real, buf, amount, offset);
  if (file->fd < 0) {
    t_would_block = true;
    return SQLITE_IOERR_READ;
  }
  int done = 0;
  while (done < amount) {
    struct iovec part = {static_cast<char*>(buf) + done, static_cast<size_t>(amount - done)};
    ssize_t n = preadv2(file->fd, &part, 1, offset + done, RWF_NOWAIT);
    if (n > 0) {
      done += static_cast<int>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      t_would_block = true;
      t_blocked = {file->which, offset + done, amount - done};
      return SQLITE_IOERR_READ;
    } else {
      break;  // the end of the file, or an error: SQLite's read reports it
    }
  }
  if (done == amount) return SQLITE_OK;
  return file->real->pMethods->xRead(file->real, buf, amount, offset);
}

int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int Write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  return Real(f)->pMethods->xWrite(Real(f), buf, amount, offset);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) { return Real(f)->pMethods->xSync(Real(f), flags); }
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int remove) { return Real(f)->pMethods->xShmUnmap(Real(f), remove); }
// Memory-mapped reads would fault on the disk: never offered (the readers
// run with mmap_size 0, so SQLite does not ask).
int Fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  NowaitFile* file = Of(f);
  file->base.pMethods = nullptr;
  file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) +
                                               ((sizeof(NowaitFile) + 7) & ~size_t{7}));
  int rc = g_real->xOpen(g_real, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK || file->real->pMethods == nullptr) return rc;
  bool nowait = vfs == &g_vfs;
  file->guarded = nowait && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) != 0;
  file->fd = file->guarded ? DescriptorOf(file->real, name) : -1;
  file->which = (flags & SQLITE_OPEN_WAL) ? BlockedRead::File::kWal : BlockedRead::File::kDatabase;
  if (flags & SQLITE_OPEN_MAIN_DB) {
    // A lookup reads a page or two at random: without this advice the
    // kernel reads ahead around each one missing from the page cache.
    int fd = file->fd >= 0 ? file->fd : DescriptorOf(file->real, name);
    if (fd >= 0) posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
  }
  file->base.pMethods = &g_methods;
  return SQLITE_OK;
}

void Register() {
  ConfigureSqlite();
  g_real = sqlite3_vfs_find(nullptr);
  g_vfs = *g_real;
  g_vfs.zName = "pasted-nowait";
  g_vfs.szOsFile = static_cast<int>((sizeof(NowaitFile) + 7) & ~size_t{7}) + g_real->szOsFile;
  g_vfs.pNext = nullptr;
  g_vfs.xOpen = Open;
  g_methods = sqlite3_io_methods{3,
                                 Close,
                                 Read,
                                 Write,
                                 Truncate,
                                 Sync,
                                 FileSize,
                                 Lock,
                                 Unlock,
                                 CheckReservedLock,
                                 FileControl,
                                 SectorSize,
                                 DeviceCharacteristics,
                                 ShmMap,
                                 ShmLock,
                                 ShmBarrier,
                                 ShmUnmap,
                                 Fetch,
                                 Unfetch};
  sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0);
  g_random_vfs = g_vfs;
  g_random_vfs.zName = "pasted-random";
  sqlite3_vfs_register(&g_random_vfs, /*makeDflt=*/0);
}

}  // namespace

const char* NowaitVfsName() {
  static std::once_flag once;
  std::call_once(once, Register);
  return g_vfs.zName;
}

const char* RandomVfsName() {
  NowaitVfsName();
  return g_random_vfs.zName;
}

bool DiskWouldBlock() { return t_would_block; }
void ClearDiskWouldBlock() {
  t_would_block = false;
  t_blocked = BlockedRead{};
}
BlockedRead LastBlockedRead() { return t_blocked; }

}  // namespace pastebin
