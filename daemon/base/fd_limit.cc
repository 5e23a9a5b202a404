#include "daemon/base/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>

namespace pastebin {
namespace {

constexpr int64_t kAutoHttp = 10000;
constexpr int64_t kAutoTcp = 1000;
constexpr int64_t kMinConnections = 8;
// Besides the workers: stdio, the lock, the logs, the writer's database,
// WAL and shm, listeners, epoll and event fds, the loops' readers.
constexpr int64_t kFixedFds = 48;

}  // namespace

int64_t RaiseFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    // Past a million, select()-era code and the kernel's own caps make more
    // pointless.
    raised.rlim_cur = std::min<rlim_t>(lim.rlim_max, 1 << 20);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  return lim.rlim_cur == RLIM_INFINITY ? (1 << 20) : static_cast<int64_t>(lim.rlim_cur);
}

ConnectionCaps PlanConnections(int64_t fd_limit, int64_t threads, bool tcp, int64_t requested) {
  ConnectionCaps caps;
  caps.room = std::max<int64_t>(0, fd_limit - kFixedFds - 3 * threads);
  int64_t tcp_room = tcp ? caps.room / 5 : 0;
  int64_t http_room = caps.room - tcp_room;
  if (requested > 0) {
    caps.http = requested;
    caps.tcp = tcp ? std::min(requested, std::max(kMinConnections, tcp_room)) : 0;
  } else {
    caps.http = std::clamp(http_room, kMinConnections, kAutoHttp);
    caps.tcp = tcp ? std::clamp(tcp_room, kMinConnections, kAutoTcp) : 0;
  }
  return caps;
}

}  // namespace pastebin
