// PgEvictionListener: one thread per node that LISTENs on kPgEvictChannel
// and tells the node's cache which pastes another node deleted. A lost
// connection may have lost notifications too: the listener connects again
// (every second until it can) and then the whole cache is forgotten. In
// between the cache goes on serving, so reads survive PostgreSQL being away.
#ifndef PASTEBIN_DAEMON_STORE_POSTGRES_PG_EVICTION_LISTENER_H_
#define PASTEBIN_DAEMON_STORE_POSTGRES_PG_EVICTION_LISTENER_H_

#include <atomic>
#include <string>
#include <thread>

#include "common/status.h"
#include "daemon/store/delete_feed.h"
#include "daemon/store/postgres/pg.h"

namespace pastebin {

class PgEvictionListener : public DeleteFeed {
 public:
  // Listens on url (the primary) once started.
  PgEvictionListener(std::string url, int timeout_s = kPgTimeoutSeconds)
      : url_(std::move(url)), timeout_s_(timeout_s) {}
  ~PgEvictionListener() override;  // stops the thread

  // Returns once the first LISTEN is in place, or its error.
  Status Start(Forget forget, ForgetAll forget_all) override;

 private:
  void Run(class PgConn* first);

  std::string url_;
  int timeout_s_;
  Forget forget_;
  ForgetAll forget_all_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_EVICTION_LISTENER_H_
