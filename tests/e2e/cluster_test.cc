// scripts/cluster: a PostgreSQL primary and replica, three pasted nodes and
// haproxy, as a user starts them; pastes go through the balancer and every
// node, and the balancer rides over a node killed outright.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/e2e/fixture.h"

namespace pastebin::testing {
namespace {

struct Cluster {
  Cluster() {
    if (!HaveProgram("haproxy")) SkipTest("haproxy is not installed (./scripts/setup installs it)");
    if (access("/usr/lib/postgresql/15/bin/initdb", X_OK) != 0) {
      SkipTest("PostgreSQL 15 is not installed (./scripts/setup installs it)");
    }
    // PostgreSQL runs as its own user, which must reach its directory.
    chmod(dir.path().c_str(), 0755);
    RunResult r = Run({std::string(PASTEBIN_SOURCE_DIR) + "/scripts/cluster", "up"}, "", Env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    url = r.out.substr(0, r.out.find('\n'));
  }
  ~Cluster() { Run({std::string(PASTEBIN_SOURCE_DIR) + "/scripts/cluster", "down"}, "", Env()); }
  std::map<std::string, std::string> Env() const {
    return {{"PASTEBIN_CLUSTER_DIR", dir / "cluster"}};
  }
  std::string Node(int i) const { return "http://" + Trim(ReadFile(dir / ("cluster/node" + std::to_string(i) + "/addr"))); }
  pid_t Pid(int i) const {
    return std::stoi(ReadFile(dir / ("cluster/node" + std::to_string(i) + "/pid")));
  }
  static std::string Trim(std::string s) {
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  RunResult Cli(const std::string& server, std::vector<std::string> args,
                const std::string& input = "") const {
    args.insert(args.begin(), {BinaryPath("pastebin"), "--server", server});
    return Run(args, input, {{"HOME", dir.path()}});
  }
  TempDir dir;
  std::string url;
};

TEST_CASE("scripts/cluster: a paste put through the balancer reads back via every node") {
  Cluster c;
  std::string body = "several nodes\n\tone database\n";
  auto put = c.Cli(c.url, {"put"}, body);
  REQUIRE(put.exit_code == 0);
  CHECK(put.out.rfind(c.url + "/", 0) == 0);  // links name the balancer
  std::string link = E2e::LinkOf(put.out);
  for (int i = 1; i <= 3; ++i) {
    auto got = c.Cli(c.Node(i), {"get", link});
    CHECK(got.exit_code == 0);
    CHECK(got.out == body);
  }
  // One node killed outright: reads through the balancer go on.
  REQUIRE(kill(c.Pid(2), SIGKILL) == 0);
  for (int i = 0; i < 6; ++i) {
    auto got = c.Cli(c.url, {"get", link});
    CHECK(got.exit_code == 0);
    CHECK(got.out == body);
  }
  auto status = Run({std::string(PASTEBIN_SOURCE_DIR) + "/scripts/cluster", "status"}, "", c.Env());
  CHECK_THAT(status.out, Catch::Contains("node2 "));
  CHECK_THAT(status.out, Catch::Contains(" stopped\nnode3"));
}

}  // namespace
}  // namespace pastebin::testing
