// Whether pasted may use io_uring: yes, unless the environment variable
// PASTED_IO_URING is "off". Off, pasted runs as where a kernel or sandbox
// forbids io_uring (each part that uses it has a way without it), so tests
// can check that way and benchmarks can compare the two.
#ifndef PASTEBIN_DAEMON_BASE_IO_URING_SWITCH_H_
#define PASTEBIN_DAEMON_BASE_IO_URING_SWITCH_H_

#include <stdlib.h>
#include <string.h>

#include "common/status.h"

namespace pastebin {

constexpr char kIoUringEnv[] = "PASTED_IO_URING";

// OK, or why io_uring is not to be used.
inline Status IoUringAllowed() {
  const char* v = getenv(kIoUringEnv);
  if (v != nullptr && strcmp(v, "off") == 0) {
    return Internal(std::string("io_uring is off (") + kIoUringEnv + "=off)");
  }
  return Status::Ok();
}

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_IO_URING_SWITCH_H_
