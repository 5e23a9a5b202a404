#include "daemon/store/postgres/pg_eviction_listener.h"

#include <poll.h>
#include <pthread.h>

#include <chrono>

#include "daemon/base/log.h"
#include "daemon/store/postgres/pg.h"
#include "daemon/store/postgres/pg_metadata_store.h"

namespace pastebin {
namespace {

Result<std::unique_ptr<PgConn>> Listen(const std::string& url, int timeout_s) {
  auto conn = PgConn::Open(url, timeout_s);
  if (!conn.ok()) return conn.status();
  Status s = (*conn)->Exec(std::string("LISTEN ") + kPgEvictChannel);
  if (!s.ok()) return s;
  return conn;
}

}  // namespace

Status PgEvictionListener::Start(Forget forget, ForgetAll forget_all) {
  auto conn = Listen(url_, timeout_s_);
  if (!conn.ok()) return conn.status();
  forget_ = std::move(forget);
  forget_all_ = std::move(forget_all);
  PgConn* first = conn->release();
  thread_ = std::thread([this, first] {
    pthread_setname_np(pthread_self(), "pasted-listen");
    Run(first);
  });
  return Status::Ok();
}

PgEvictionListener::~PgEvictionListener() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void PgEvictionListener::Run(PgConn* first) {
  std::unique_ptr<PgConn> conn(first);
  while (!stopping_) {
    if (!conn) {
      auto again = Listen(url_, timeout_s_);
      if (!again.ok()) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      conn = std::move(again).value();
      // Deletes while we were away went unheard: forget everything.
      forget_all_();
      LogInfo("listening for other nodes' deletes again; the paste cache was emptied");
    }
    // Woken at least every 200 ms to notice a stop.
    pollfd p{conn->Socket(), POLLIN, 0};
    int ready = poll(&p, 1, 200);
    if (ready < 0) continue;
    auto payloads = conn->TakeNotifications();
    if (!payloads.ok()) {
      // The cache goes on serving meanwhile (PostgreSQL may be away for
      // every node, then nothing is deleted); what it missed is forgotten
      // once the connection is back.
      LogWarn("lost the connection that hears other nodes' deletes (" +
              payloads.status().message() + "); reconnecting");
      conn.reset();
      continue;
    }
    for (const std::string& shortlink : *payloads) forget_(shortlink);
  }
}

}  // namespace pastebin
