#include "daemon/api/tcp_answer.h"

#include "daemon/public_error.h"
#include "daemon/stats/log_line.h"

namespace pastebin {

std::string TcpAnswer::Store(const std::string& peer, const std::string& local_addr,
                             std::string contents) {
  RequestLogRecord log;
  log.remote_addr = peer;
  log.time = clock_.NowSeconds();
  log.method = "TCP";
  log.target = "/";
  log.protocol = "netcat";
  std::string line;
  int64_t wait = 0;
  Status admitted = gate_.Admit(peer, &wait);
  if (!admitted.ok()) {
    log.status = admitted.http_status();
    line = "error: " + admitted.message();
  } else {
    auto created = pastes_.Create(contents, std::nullopt);
    if (created.ok()) {
      log.status = 201;
      line = links_.OverTcp(local_addr, created->record.shortlink);
    } else {
      Status told = PublicError(created.status());
      log.status = told.http_status();
      line = "error: " + told.message();
    }
  }
  log.bytes = static_cast<int64_t>(line.size() + 1);
  log_.Append(FormatLogLine(log));
  return line;
}

}  // namespace pastebin
