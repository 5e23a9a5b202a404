// pastebin daemon status|stop|reload: acting on one's own pasted through
// the pid in its data dir's lock file, never on other users' daemons.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/e2e/fixture.h"

namespace pastebin::testing {
namespace {

TEST_CASE("pastebin daemon shows, reloads and stops the pasted of a data dir") {
  E2e e;
  std::string dir = e.dir / "data";
  auto status = e.Cli({"daemon", "status", "--data-dir", dir});
  CHECK(status.exit_code == 0);
  CHECK(status.out == "pasted is running (pid " + std::to_string(e.daemon.pid()) + ") on " +
                          e.daemon.url() + " (data dir " + dir + ")\n");
  auto reload = e.Cli({"daemon", "reload", "--data-dir", dir});
  CHECK(reload.exit_code == 0);
  REQUIRE(WaitUntil([&] { return e.daemon.log().find("reopened ") != std::string::npos; }));
  auto stop = e.Cli({"daemon", "stop", "--data-dir", dir});
  CHECK(stop.exit_code == 0);
  CHECK(stop.out == "stopped pasted (pid " + std::to_string(e.daemon.pid()) + ")\n");
  CHECK(e.daemon.Stop() == 0);  // it had exited cleanly
  auto gone = e.Cli({"daemon", "status", "--data-dir", dir});
  CHECK(gone.exit_code == 3);
  CHECK(gone.out == "pasted is not running (data dir " + dir + ")\n");
  auto again = e.Cli({"daemon", "stop", "--data-dir", dir});
  CHECK(again.exit_code == 0);
  CHECK(again.out == "pasted was not running (data dir " + dir + ")\n");
}

TEST_CASE("a lock file left behind names no running pasted") {
  TempDir dir;
  // A pid that is surely running, but holds no lock there.
  WriteFile(dir / "pasted.lock", std::to_string(getpid()) + "\n");
  auto r = Run({BinaryPath("pastebin"), "daemon", "stop", "--data-dir", dir.path()});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "pasted was not running (data dir " + dir.path() + ")\n");
}

}  // namespace
}  // namespace pastebin::testing

namespace pastebin::testing {
namespace {

TEST_CASE("listen = unix:PATH serves on a Unix socket, where pasted's user and root are admins") {
  if (geteuid() != 0) SkipTest("needs root to connect as another user");
  if (!HaveProgram("curl") || !HaveProgram("setpriv")) SkipTest("needs curl and setpriv");
  TempDir dir;
  chmod(dir.path().c_str(), 0755);  // so another user may reach the socket
  std::string sock = dir / "pasted.sock";
  Daemon d(dir / "data", {"--listen", "unix:" + sock, "--trusted-proxies", "unix"});
  d.Start();
  CHECK(d.url() == "unix:" + sock);
  auto curl = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/env", "curl",      "-sS", "--unix-socket", sock,
                                     "-o",           "/dev/null", "-w",  "%{http_code}"};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv).out;
  };
  CHECK(curl({"http://paste.example/healthz"}) == "200");
  // Root (and pasted's own user) may use admin routes without the token.
  CHECK(curl({"http://paste.example/api/v1/admin/stats"}) == "200");
  auto other = Run({"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    "/usr/bin/env", "curl", "-sS", "--unix-socket", sock, "-o", "/dev/null", "-w",
                    "%{http_code}", "http://paste.example/api/v1/admin/stats"});
  CHECK(other.out == "403");
  // Behind a proxy on the socket ("unix" in trusted_proxies), the client is
  // who it forwarded, in the log too.
  CHECK(curl({"-H", "X-Forwarded-For: 198.51.100.4", "http://paste.example/healthz"}) == "200");
  REQUIRE(d.Stop() == 0);
  CHECK_THAT(ReadFile(dir / "data/access.log"), Catch::Contains("198.51.100.4 - - ["));
  CHECK_THAT(ReadFile(dir / "data/access.log"), Catch::Contains("unix: - - ["));
}

}  // namespace
}  // namespace pastebin::testing
