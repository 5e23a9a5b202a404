#include "cli/exit_codes.h"

namespace pastebin {

ExitCode ExitCodeForServerError(const Status& status) {
  if (status.ok()) return kExitOk;
  if (status.code() == Code::kNotFound) return kExitNotFound;
  return status.http_status() >= 500 ? kExitServerError : kExitRejected;
}

}  // namespace pastebin
