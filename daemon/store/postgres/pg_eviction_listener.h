// PgEvictionListener: one thread per node that LISTENs on kPgEvictChannel
// and tells the node's cache which pastes another node deleted. A lost
// connection may have lost notifications too: the listener connects again
// (every second until it can) and then the whole cache is forgotten. In
// between the cache goes on serving, so reads survive PostgreSQL being away.
#ifndef PASTEBIN_DAEMON_STORE_POSTGRES_PG_EVICTION_LISTENER_H_
#define PASTEBIN_DAEMON_STORE_POSTGRES_PG_EVICTION_LISTENER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/status.h"

namespace pastebin {

class PgEvictionListener {
 public:
  using Forget = std::function<void(std::string_view shortlink)>;
  using ForgetAll = std::function<void()>;

  // Starts listening; returns once the first LISTEN is in place (so no
  // delete committed after Start returns goes unheard), or its error.
  static Result<std::unique_ptr<PgEvictionListener>> Start(std::string url, Forget forget,
                                                           ForgetAll forget_all);
  ~PgEvictionListener();  // stops the thread

 private:
  PgEvictionListener(std::string url, Forget forget, ForgetAll forget_all)
      : url_(std::move(url)), forget_(std::move(forget)), forget_all_(std::move(forget_all)) {}
  void Run(class PgConn* first);

  std::string url_;
  Forget forget_;
  ForgetAll forget_all_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_EVICTION_LISTENER_H_
