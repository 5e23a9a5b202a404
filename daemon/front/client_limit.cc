#include "daemon/front/client_limit.h"

namespace pastebin {

Status ClientLimit::Answer(const std::string& key, int64_t wait, int64_t* retry_after) const {
  *retry_after = wait;
  if (wait == 0) return Status::Ok();
  return Status(Code::kRateLimited, "too many " + what_ + " from " + key + "; try again in " +
                                        std::to_string(wait) +
                                        (wait == 1 ? " second" : " seconds"));
}

Status ClientLimit::Admit(const std::string& client, int64_t* retry_after) {
  std::string key = LimitKey(client, ipv6_prefix_);
  return Answer(key, limiter_.Take(key), retry_after);
}

Status ClientLimit::Check(const std::string& client, int64_t* retry_after) {
  std::string key = LimitKey(client, ipv6_prefix_);
  return Answer(key, limiter_.Wait(key), retry_after);
}

}  // namespace pastebin
