#include "cli/local_server.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli/client_config.h"
#include "common/strings.h"

namespace pastebin {
namespace {

// "0100007F:1F95" (127.0.0.1:8077, as /proc/net/tcp writes it) and its
// IPv6 forms: a local address that takes connections to 127.0.0.1.
bool TakesLoopback(const std::string& local_address, int port) {
  size_t colon = local_address.rfind(':');
  if (colon == std::string::npos) return false;
  if (std::strtol(local_address.c_str() + colon + 1, nullptr, 16) != port) return false;
  std::string addr = local_address.substr(0, colon);
  static const char* const kTaking[] = {
      "0100007F",                          // 127.0.0.1
      "00000000",                          // 0.0.0.0
      "00000000000000000000000001000000",  // ::1
      "00000000000000000000000000000000",  // ::
      "0000000000000000FFFF00000100007F",  // ::ffff:127.0.0.1
  };
  return std::find(std::begin(kTaking), std::end(kTaking), addr) != std::end(kTaking);
}

}  // namespace

bool IsLocalDefault(const ServerUrl& url) {
  static const ServerUrl local = *ParseServerUrl(kDefaultServer);
  return url.unix_socket.empty() && url.scheme == local.scheme && url.port == local.port &&
         url.prefix.empty() && (url.host == "127.0.0.1" || url.host == "localhost");
}

ServerUrl LocalDefaultServer() {
  ServerUrl url = *ParseServerUrl(kDefaultServer);
  url.own_local = true;
  return url;
}

std::string LocalSocketPath() {
  const char* runtime = getenv("XDG_RUNTIME_DIR");
  if (runtime && runtime[0] == '/') return std::string(runtime) + "/pastebin/pasted.sock";
  std::string data = XdgPastebinDir("XDG_DATA_HOME", ".local/share");
  return data.empty() ? "" : data + "/pasted.sock";
}

std::vector<uid_t> LoopbackListenerUids(int port) {
  std::vector<uid_t> out;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid;
      if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid)) {
        continue;
      }
      if (state != "0A" || !TakesLoopback(local, port)) continue;  // 0A: LISTEN
      out.push_back(static_cast<uid_t>(std::strtoul(uid.c_str(), nullptr, 10)));
    }
  }
  return out;
}

Result<ServerUrl> DialLocal(const ServerUrl& local) {
  std::string socket = LocalSocketPath();
  struct stat st;
  if (!socket.empty() && lstat(socket.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
    std::string dir = socket.substr(0, socket.rfind('/'));
    Status private_dir = CheckPrivateDir(dir);
    if (private_dir.ok() && st.st_uid == geteuid()) {
      ServerUrl dial = local;
      dial.unix_socket = socket;
      return dial;
    }
  }
  std::vector<uid_t> uids = LoopbackListenerUids(local.port);
  for (uid_t uid : uids) {
    if (uid != geteuid()) {
      return Status(Code::kForbidden,
                    "127.0.0.1:" + std::to_string(local.port) + " is held by another user (uid " +
                        std::to_string(uid) +
                        "), not by your pasted; nothing was sent there. Stop that program, or "
                        "point --server or PASTEBIN_SERVER at your own server");
    }
  }
  if (!uids.empty()) return local;  // this user's own pasted, without the socket
  return Status(
      Code::kUnavailable,
      "cannot reach the pastebin server at " + local.Base() +
          " (nothing of yours listens there, nor at unix:" + socket +
          "); start it with 'pastebin daemon start', or point --server or PASTEBIN_SERVER at a "
          "running one");
}

}  // namespace pastebin
