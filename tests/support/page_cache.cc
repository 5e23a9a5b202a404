#include "tests/support/page_cache.h"

#include <fcntl.h>
#include <liburing.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vector>

namespace pastebin::testing {

size_t ResidentPages(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  off_t size = lseek(fd, 0, SEEK_END);
  void* map = mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return 0;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> in((static_cast<size_t>(size) + page - 1) / page);
  size_t n = 0;
  if (mincore(map, static_cast<size_t>(size), in.data()) == 0) {
    for (unsigned char c : in) n += c & 1;
  }
  munmap(map, static_cast<size_t>(size));
  return n;
}

bool Evict(const std::string& path) {
  for (int tries = 0; tries < 100; ++tries) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    fsync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    if (ResidentPages(path) == 0) return true;
    usleep(10000);  // pages a read has in flight stay until it ends
  }
  return false;
}

bool IoUringAvailable() {
  io_uring ring;
  if (io_uring_queue_init(4, &ring, 0) < 0) return false;
  io_uring_queue_exit(&ring);
  return true;
}

}  // namespace pastebin::testing
