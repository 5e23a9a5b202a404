// scripts/cluster: a PostgreSQL primary and replica, three pasted nodes and
// haproxy, as a user starts them; pastes go through the balancer and every
// node, and the balancer rides over a node killed outright.
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

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
  std::string Node(int i) const {
    return "http://" + Trim(ReadFile(dir / ("cluster/node" + std::to_string(i) + "/addr")));
  }
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

TEST_CASE(
    "scripts/cluster: 8 writers while a node is killed outright: every paste answered 201 "
    "reads back") {
  Cluster c;
  constexpr int kWriters = 8, kEach = 40;
  std::atomic<int> answered{0};
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> created;  // link, body
  std::vector<std::string> refused;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      httplib::Client http(c.url);
      http.set_read_timeout(10, 0);
      for (int i = 0; i < kEach; ++i) {
        std::string body = "writer " + std::to_string(w) + ", paste " + std::to_string(i) + "\n";
        auto r = http.Post("/api/v1/paste", nlohmann::json{{"paste_contents", body}}.dump(),
                           "application/json");
        std::lock_guard<std::mutex> lock(mu);
        if (r && r->status == 201) {
          created.emplace_back(nlohmann::json::parse(r->body)["shortlink"], body);
        } else {
          refused.push_back(r ? std::to_string(r->status) : httplib::to_string(r.error()));
        }
        answered++;
      }
    });
  }
  // A quarter of the way in, node 2 dies with writes in flight.
  REQUIRE(WaitUntil([&] { return answered >= kWriters * kEach / 4; }));
  REQUIRE(kill(c.Pid(2), SIGKILL) == 0);
  for (auto& t : writers) t.join();
  INFO(refused.size() << " writes were refused");
  CHECK(created.size() >= kWriters * kEach / 2);
  // The writes that failed failed at the balancer or on the wire (the dead
  // node took them), never as an error of a live node.
  for (const std::string& why : refused) {
    INFO("refused: " << why);
    CHECK((why == "502" || why == "503" || why == "504" || why == "Connection" || why == "Read" ||
           why == "Write"));
  }
  for (const auto& [link, body] : created) {
    for (const std::string& server : {c.url, c.Node(1), c.Node(3)}) {
      httplib::Client http(server);
      auto got = http.Get("/raw/" + link);
      REQUIRE(got);
      CHECK(got->status == 200);
      CHECK(got->body == body);
    }
  }
}

TEST_CASE("the example balancer configs pass haproxy -c and nginx -t") {
  std::string examples = std::string(PASTEBIN_SOURCE_DIR) + "/scripts/several-nodes/";
  if (!HaveProgram("haproxy") || !HaveProgram("nginx")) {
    SkipTest("haproxy or nginx is not installed (./scripts/setup installs them)");
  }
  RunResult haproxy = Run({"/usr/sbin/haproxy", "-c", "-f", examples + "haproxy.cfg"});
  INFO(haproxy.out << haproxy.err);
  CHECK(haproxy.exit_code == 0);
  // The balancer drops root (it speaks for strangers).
  CHECK_THAT(ReadFile(examples + "haproxy.cfg"), Catch::Contains("\n  user haproxy\n"));
  // nginx.conf goes inside nginx's http block, as conf.d/ files do.
  TempDir dir;
  WriteFile(dir / "nginx.conf", "pid " + dir / "nginx.pid" + ";\nerror_log " + dir / "error.log" +
                                    ";\nevents {}\nhttp {\n  access_log off;\n  include " +
                                    examples + "nginx.conf;\n}\n");
  RunResult nginx = Run({"/usr/sbin/nginx", "-t", "-c", dir / "nginx.conf"});
  INFO(nginx.out << nginx.err);
  CHECK(nginx.exit_code == 0);
  CHECK_THAT(nginx.err, Catch::Contains("test is successful"));
}

// Runs a PostgreSQL program on one of the cluster's servers, as its owner.
RunResult PgCtl(const Cluster& c, const std::string& server, std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/lib/postgresql/15/bin/pg_ctl", "-D",
                                   c.dir / ("cluster/pg/" + server)};
  argv.insert(argv.end(), args.begin(), args.end());
  if (geteuid() == 0) {
    argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres",
                               "--init-groups", "--"});
  }
  return Run(argv);
}

TEST_CASE("scripts/cluster: after the primary dies and the replica is promoted, writes go on") {
  Cluster c;
  std::string before = E2e::LinkOf(c.Cli(c.url, {"put"}, "before the failover\n").out);
  // A fast stop ships all its WAL to the replica first (an immediate one
  // could lose the last paste to replication lag, which no node can help).
  REQUIRE(PgCtl(c, "primary", {"-m", "fast", "-w", "stop"}).exit_code == 0);
  REQUIRE(PgCtl(c, "replica", {"-w", "promote"}).exit_code == 0);
  // No pasted restarts: the multi-host postgres_url finds the new primary.
  std::string after;
  CHECK(WaitUntil([&] {
    auto put = c.Cli(c.url, {"put"}, "after the failover\n");
    if (put.exit_code == 0) after = E2e::LinkOf(put.out);
    return put.exit_code == 0;
  }));
  REQUIRE_FALSE(after.empty());
  for (int i = 1; i <= 3; ++i) {
    CHECK(c.Cli(c.Node(i), {"get", after}).out == "after the failover\n");
    CHECK(c.Cli(c.Node(i), {"get", before}).out == "before the failover\n");
  }
}

}  // namespace
}  // namespace pastebin::testing
