#include "daemon/front/write_gate.h"

namespace pastebin {

Status WriteGate::Admit(const std::string& client, int64_t* retry_after) {
  int64_t wait = limiter_.Take(client);
  *retry_after = wait;
  if (wait == 0) return Status::Ok();
  return Status(Code::kRateLimited, "too many pastes from " + client + "; try again in " +
                                        std::to_string(wait) +
                                        (wait == 1 ? " second" : " seconds"));
}

}  // namespace pastebin
