// An LD_PRELOAD fault injector for tests: while the file named by
// $PASTED_FAIL_SYNC_FILE exists, fsync(2) and fdatasync(2) on any file whose
// name ends in $PASTED_FAIL_SYNC_SUFFIX (default "-wal": SQLite's
// write-ahead log) fail with EIO, as a dying disk's would. Everything else
// passes through.
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cstdio>

namespace {

int ShouldFail(int fd) {
  const char* trigger = getenv("PASTED_FAIL_SYNC_FILE");
  if (!trigger || access(trigger, F_OK) != 0) return 0;
  const char* suffix = getenv("PASTED_FAIL_SYNC_SUFFIX");
  if (!suffix || !*suffix) suffix = "-wal";
  size_t want = strlen(suffix);
  char link[64], path[4096];
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof(path) - 1);
  if (n < 0 || static_cast<size_t>(n) < want) return 0;
  path[n] = '\0';
  return strcmp(path + n - want, suffix) == 0;
}

using SyncFn = int (*)(int);

// Calls libc's own `name` on fd, unless it is to fail.
int SyncOrFail(const char* name, SyncFn* real, int fd) {
  if (!*real) *real = reinterpret_cast<SyncFn>(dlsym(RTLD_NEXT, name));
  if (ShouldFail(fd)) {
    errno = EIO;
    return -1;
  }
  return (*real)(fd);
}

}  // namespace

extern "C" {

int fsync(int fd) {
  static SyncFn real;
  return SyncOrFail("fsync", &real, fd);
}

int fdatasync(int fd) {
  static SyncFn real;
  return SyncOrFail("fdatasync", &real, fd);
}

}  // extern "C"
