#include "daemon/store/postgres/pg_pool.h"

namespace pastebin {

Result<std::unique_ptr<PgConn>> PgPool::Take() {
  if (auto c = TakeIdle()) return c;
  return PgConn::Open(url_, timeout_s_);
}

std::unique_ptr<PgConn> PgPool::TakeIdle() {
  for (;;) {
    std::unique_ptr<PgConn> c;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (idle_.empty()) break;
      c = std::move(idle_.back());
      idle_.pop_back();
    }
    // One the server closed while it sat here (a restart) would fail the
    // caller's statement: a new one serves instead.
    if (c->StillOpen()) return c;
  }
  return nullptr;
}

void PgPool::Give(std::unique_ptr<PgConn> conn) {
  if (!conn->ok()) return;  // the server dropped it: the next Take reconnects
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(conn));
}

}  // namespace pastebin
