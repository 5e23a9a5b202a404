// Daemon: pasted's life cycle, and nothing else. Open builds the parts in
// named steps — the HTTP server and its listeners, the data dir and its
// lock, the stores, the paste service, the access log, and the front desk
// with the handler groups and the route table — then main() binds, serves,
// ticks, reopens logs on SIGHUP and stops it. No handler sees this class:
// each handler group is built with only what it uses (routes.h), and the
// front desk is what the HTTP server calls. Included by main.cc alone.
#ifndef PASTEBIN_DAEMON_DAEMON_H_
#define PASTEBIN_DAEMON_DAEMON_H_

#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "daemon/settings.h"

namespace pastebin {

class Daemon {
 public:
  // Binds the network listeners, makes the data dir if missing (0700) and
  // takes its lock so no second daemon can use it, binds the Unix sockets
  // (which may live in the data dir), opens the stores and the access log,
  // rolls up what the logs hold that was not counted yet, and builds the
  // front desk. Errors name the path or address and what to do; a failed
  // start leaves no data dir behind when it was the address that failed.
  static Result<std::unique_ptr<Daemon>> Open(const Settings& settings, const Clock& clock,
                                              Random& random);
  ~Daemon();

  // Bound and built: writes the URL it serves on into the lock file (for
  // pastebin daemon) and returns it.
  std::string Ready();
  // Serves HTTP (and TCP pastes) until Stop(); blocks.
  void Serve();
  // Stops accepting and lets in-flight requests finish. Any thread.
  void Stop();

  // The main loop's chores, about once a second: write out the access log,
  // and roll it up every kRollupIntervalSeconds.
  void Tick();
  // SIGHUP: count what the current log holds, then reopen it (logrotate
  // has moved it away).
  void ReopenLogs();
  // After Serve() returned: write out and count the last requests.
  void FinishShutdown();

  static constexpr int64_t kRollupIntervalSeconds = 300;

 private:
  struct Parts;  // everything Open builds (daemon.cc)
  Daemon(const Settings& settings, const Clock& clock, Random& random);

  // Open's steps, in order.
  Status PlanServer();
  Status BindNetwork();
  Status LockDataDir();
  Status BindSockets();
  Status OpenStores();
  Status StartPasteService();
  Status OpenAccessLog();
  Status BuildFrontDesk();

  // DATA_DIR/pasted.lock: the pid, and the URL once bound.
  void WriteLockFile(const std::string& url);
  void RollUpAndLog(const char* why);

  Settings settings_;
  const Clock& clock_;
  Random& random_;
  std::unique_ptr<Parts> parts_;
  std::string capacity_note_;  // how many connections it serves, told when ready
  int lock_fd_ = -1;
  std::string url_;  // what Bind returns, once known
  int64_t last_rollup_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_DAEMON_H_
