// PgPool: connections to one PostgreSQL server (or a multi-host list),
// kept idle between uses and made on demand, so any number of threads
// share a few. A connection the server dropped or closed while idle is not
// used again: the next use connects anew, which finds a restarted or
// promoted server by itself, without failing a request for it.
// Thread-safe.
#ifndef PASTEBIN_DAEMON_STORE_POSTGRES_PG_POOL_H_
#define PASTEBIN_DAEMON_STORE_POSTGRES_PG_POOL_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/store/postgres/pg.h"

namespace pastebin {

class PgPool {
 public:
  // timeout_s: the longest wait on the server (PgConn::Open).
  explicit PgPool(std::string url, int timeout_s = kPgTimeoutSeconds)
      : url_(std::move(url)), timeout_s_(timeout_s) {}

  // An idle connection still open, or a new one (kUnavailable when none
  // can be made).
  Result<std::unique_ptr<PgConn>> Take();
  // An idle connection still open, or null: never connects, so never waits
  // long (for an event loop).
  std::unique_ptr<PgConn> TakeIdle();
  // Back to the idle ones, unless it broke.
  void Give(std::unique_ptr<PgConn> conn);

  // Runs fn(PgConn&) -> Result<T> on a pooled connection.
  template <typename T, typename Fn>
  Result<T> With(Fn fn) {
    auto conn = Take();
    if (!conn.ok()) return conn.status();
    Result<T> out = fn(**conn);
    Give(std::move(conn).value());
    return out;
  }

 private:
  std::string url_;
  int timeout_s_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PgConn>> idle_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_POSTGRES_PG_POOL_H_
