// Local trust: pastebin speaks to a pasted on a Unix socket (--server
// unix:PATH, PASTEBIN_SERVER, the config file's server), admin there comes
// from peer credentials, but never for a request a proxy passed on.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

TEST_CASE("pastebin puts, gets and collects garbage through a Unix socket") {
  TempDir dir;
  std::string sock = dir / "pasted.sock";
  Daemon daemon(dir / "data",
                {"--listen", "unix:" + sock, "--public-url", "https://paste.example.org"});
  daemon.Start();
  std::string bin = BinaryPath("pastebin");
  std::map<std::string, std::string> env = {{"HOME", dir / "home"}};
  auto put = Run({bin, "--server", "unix:" + sock, "put"}, "over the socket\n", env);
  INFO(put.err);
  REQUIRE(put.exit_code == 0);
  REQUIRE(put.out.rfind("https://paste.example.org/", 0) == 0);
  std::string link = put.out.substr(26, 7);
  // The same server from the environment and from the config file.
  env["PASTEBIN_SERVER"] = "unix:" + sock;
  auto get = Run({bin, "get", link}, "", env);
  CHECK(get.exit_code == 0);
  CHECK(get.out == "over the socket\n");
  env.erase("PASTEBIN_SERVER");
  WriteFile(dir / "config", "server = unix:" + sock + "\n");
  Run({"/bin/mkdir", "-p", dir / "home/.config/pastebin"});
  Run({"/bin/cp", dir / "config", dir / "home/.config/pastebin/config"});
  // Admin by peer credentials: this process runs as pasted's user.
  auto gc = Run({bin, "gc"}, "", env);
  INFO(gc.err);
  CHECK(gc.exit_code == 0);
  CHECK(gc.out == "deleted 0 expired pastes and 0 orphaned bodies, freed 0 bytes\n");
  auto stats = Run({bin, "stats"}, "", env);
  CHECK(stats.exit_code == 0);
  CHECK_THAT(stats.out, Catch::Contains("stored: 1 paste"));
}

// Regression: with haproxy running as root in front of listen = unix:,
// every client it forwarded was admin by the proxy's peer credentials.
TEST_CASE("a request a proxy passed on is never admin by the socket's peer credentials") {
  if (!HaveProgram("curl")) SkipTest("curl is not installed");
  TempDir dir;
  std::string sock = dir / "pasted.sock";
  Daemon daemon(dir / "data", {"--listen", "unix:" + sock, "--trusted-proxies", "unix"});
  daemon.Start();
  auto status = [&](const std::vector<std::string>& headers) {
    std::vector<std::string> argv = {"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                     "--unix-socket", sock};
    for (const auto& h : headers) argv.insert(argv.end(), {"-H", h});
    argv.push_back("http://localhost/metrics");
    return Run(argv).out;
  };
  CHECK(status({}) == "200");
  CHECK(status({"X-Forwarded-For: 203.0.113.9"}) == "403");
  CHECK(status({"X-Real-IP: 203.0.113.9"}) == "403");
  CHECK(status({"Forwarded: for=203.0.113.9"}) == "403");
}

}  // namespace
}  // namespace pastebin::testing
