#include "daemon/public_error.h"

#include <unistd.h>

#include <atomic>

#include "daemon/base/log.h"

namespace pastebin {
namespace {

// "<pid>-<n>": unique within a log, short enough to quote.
std::string NextRequestId() {
  static std::atomic<uint64_t> next{0};
  return std::to_string(getpid()) + "-" + std::to_string(++next);
}

}  // namespace

Status PublicError(const Status& status) {
  if (status.http_status() < 500) return status;
  std::string id = NextRequestId();
  LogError("request id " + id + ": " + status.message());
  std::string told;
  switch (status.code()) {
    case Code::kInsufficientStorage:
      told = "the server's disk is full; nothing was stored, try again later";
      break;
    case Code::kUnavailable:
      told = "the server cannot do this right now; try again shortly";
      break;
    default:
      told = "the server failed to handle this request; its operator can look it up";
      break;
  }
  return Status(status.code(), told + " (request id " + id + ")");
}

}  // namespace pastebin
