// DeleteFeed: news of deletes made by the other nodes that share a store,
// so that this node's cache forgets what they deleted. Only a shared store
// has one (PostgreSQL: LISTEN/NOTIFY); a node alone hears nothing, for
// nothing else deletes.
#ifndef PASTEBIN_DAEMON_STORE_DELETE_FEED_H_
#define PASTEBIN_DAEMON_STORE_DELETE_FEED_H_

#include <functional>
#include <string_view>

#include "common/status.h"

namespace pastebin {

class DeleteFeed {
 public:
  // shortlink was deleted elsewhere.
  using Forget = std::function<void(std::string_view shortlink)>;
  // News may have been missed (the feed was lost for a while): forget all.
  using ForgetAll = std::function<void()>;

  virtual ~DeleteFeed() = default;
  // Starts delivering news, on a thread of its own, to the two callbacks;
  // returns once listening (no delete committed after Start returns goes
  // unheard), or the error that kept it from listening. Once only. The
  // destructor stops the thread.
  virtual Status Start(Forget forget, ForgetAll forget_all) = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_DELETE_FEED_H_
