// What the kernel's page cache holds of a file, and dropping it: for tests
// of reads that must come from the disk.
#ifndef PASTEBIN_TESTS_SUPPORT_PAGE_CACHE_H_
#define PASTEBIN_TESTS_SUPPORT_PAGE_CACHE_H_

#include <cstddef>
#include <string>

namespace pastebin::testing {

// How many pages of path the page cache holds (mincore on a mapping of it,
// which reads nothing).
size_t ResidentPages(const std::string& path);

// Writes back and drops from the page cache what the kernel holds of
// path, then checks with mincore that none of it stayed (a probing read
// would start a read of its own); false on a file system that keeps files
// in memory, such as tmpfs.
bool Evict(const std::string& path);

// Whether this process may use io_uring (a sandbox may forbid it).
bool IoUringAvailable();

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_PAGE_CACHE_H_
