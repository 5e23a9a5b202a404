// TcpAnswer: what a paste sent to the raw TCP port (`cmd | nc HOST PORT`,
// tcp_paste_server.h) gets: through the same write gate, paste service and
// link builder as HTTP, one line back — the link, or "error: ..." — and a
// line in the access log (method TCP, protocol netcat).
#ifndef PASTEBIN_DAEMON_API_TCP_ANSWER_H_
#define PASTEBIN_DAEMON_API_TCP_ANSWER_H_

#include <string>

#include "common/clock.h"
#include "daemon/front/client_limit.h"
#include "daemon/front/links.h"
#include "daemon/paste_service.h"
#include "daemon/stats/access_log.h"

namespace pastebin {

class TcpAnswer {
 public:
  // None owned; all must outlive it.
  TcpAnswer(PasteService& pastes, ClientLimit& gate, const Links& links, AccessLog& log,
            const Clock& clock)
      : pastes_(pastes), gate_(gate), links_(links), log_(log), clock_(clock) {}

  // Stores contents from peer, which connected to local_addr; returns the
  // line to send back, without its newline. Blocks (a worker's job).
  // Thread-safe.
  std::string Store(const std::string& peer, const std::string& local_addr, std::string contents);

 private:
  PasteService& pastes_;
  ClientLimit& gate_;
  const Links& links_;
  AccessLog& log_;
  const Clock& clock_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_API_TCP_ANSWER_H_
