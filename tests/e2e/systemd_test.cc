// pasted under the systemd protocols: readiness notification over
// $NOTIFY_SOCKET and socket activation, with systemd's own
// systemd-socket-activate as the peer.
#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

// A datagram socket standing in for systemd's notification socket.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  }
  ~NotifySocket() { close(fd_); }
  // The next message, or "" after 10 s.
  std::string Receive() {
    struct pollfd p = {fd_, POLLIN, 0};
    if (poll(&p, 1, 10000) != 1) return "";
    char buf[4096];
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

 private:
  std::string path_;
  int fd_;
};

TEST_CASE("pasted tells systemd when it is ready, reloading and stopping") {
  TempDir dir;
  NotifySocket notify(dir / "notify.sock");
  Daemon d(dir / "data", {}, {{"NOTIFY_SOCKET", dir / "notify.sock"}});
  d.Start();
  std::string ready = notify.Receive();
  CHECK_THAT(ready, Catch::StartsWith("READY=1\nSTATUS=serving " + d.url()));
  d.Signal(SIGHUP);
  CHECK(notify.Receive() == "RELOADING=1");
  CHECK(notify.Receive() == "READY=1");
  REQUIRE(d.Stop() == 0);
  CHECK(notify.Receive() == "STOPPING=1");
}

TEST_CASE("socket activation serves on the socket systemd passes") {
  if (!HaveProgram("systemd-socket-activate")) {
    SkipTest("systemd-socket-activate is not installed (Debian package systemd)");
  }
  TempDir dir;
  int port = FreeLoopbackPort();
  std::string address = "127.0.0.1:" + std::to_string(port);
  pid_t pid = fork();
  if (pid == 0) {
    int log = open((dir / "log").c_str(), O_WRONLY | O_CREAT, 0600);
    dup2(log, 1);
    dup2(log, 2);
    execlp("systemd-socket-activate", "systemd-socket-activate", "-l", address.c_str(),
           BinaryPath("pasted").c_str(), "--data-dir", (dir / "data").c_str(), "--listen",
           "127.0.0.1:1", nullptr);
    _exit(127);
  }
  // The first connection starts pasted, which answers it on the passed
  // socket (its own --listen is ignored).
  httplib::Client c("http://" + address);
  c.set_connection_timeout(10, 0);
  c.set_read_timeout(10, 0);
  httplib::Result r(nullptr, httplib::Error::Unknown);
  REQUIRE(WaitUntil([&] {
    r = c.Get("/healthz");
    return static_cast<bool>(r);
  }));
  CHECK(r->status == 200);
  auto put = Run({BinaryPath("pastebin"), "--server", "http://" + address, "put"}, "activated",
                 {{"HOME", dir / "home"}});
  CHECK(put.exit_code == 0);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::string log = ReadFile(dir / "log");
  CHECK_THAT(log, Catch::Contains("using the socket systemd passed"));
  CHECK_THAT(log, Catch::Contains("pasted: info: stopped"));
}

}  // namespace
}  // namespace pastebin::testing
