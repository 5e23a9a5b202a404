#include "daemon/base/io_uring_ring.h"

#include <liburing.h>
#include <stdlib.h>
#include <string.h>

#include <string>

namespace pastebin {

Status IoUringAllowed() {
  const char* v = getenv(kIoUringEnv);
  if (v != nullptr && strcmp(v, "off") == 0) {
    return Internal(std::string("io_uring is off (") + kIoUringEnv + "=off)");
  }
  return Status::Ok();
}

IoUringRing::IoUringRing() : ring_(std::make_unique<io_uring>()) {}

IoUringRing::~IoUringRing() {
  if (open_) io_uring_queue_exit(ring_.get());
}

Status IoUringRing::Open(unsigned entries, io_uring_params* params) {
  if (Status allowed = IoUringAllowed(); !allowed.ok()) return allowed;
  io_uring_params defaults{};
  int rc = io_uring_queue_init_params(entries, ring_.get(), params ? params : &defaults);
  if (rc < 0) return Internal(std::string("io_uring: ") + strerror(-rc));
  open_ = true;
  return Status::Ok();
}

}  // namespace pastebin
