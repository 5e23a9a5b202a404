// scripts/cluster: three etcd members, two PostgreSQL members run by Patroni
// in synchronous mode, three pasted nodes and haproxy, as a user starts
// them. Pastes go through the balancer and every node; the balancer rides
// over a node killed outright; the PostgreSQL primary killed outright (every
// process of it, and its host's etcd member) is replaced without a command,
// loses no acknowledged paste, and comes back as a replica. These tests take
// minutes: ./scripts/test --cluster runs them (label "cluster").
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/fixture.h"
#include "tests/support/postgres.h"

namespace pastebin::testing {
namespace {

struct Cluster {
  Cluster() {
    if (!HaveProgram("haproxy")) SkipTest("haproxy is not installed (./scripts/setup installs it)");
    if (access("/usr/lib/postgresql/15/bin/initdb", X_OK) != 0) {
      SkipTest("PostgreSQL 15 is not installed (./scripts/setup installs it)");
    }
    if (!HaveProgram("patroni") || !HaveProgram("etcd") || !HaveProgram("pgbackrest")) {
      SkipTest("patroni, etcd or pgbackrest is not installed (./scripts/setup installs them)");
    }
    // PostgreSQL runs as its own user, which must reach its directory.
    chmod(dir.path().c_str(), 0755);
    RunResult r = Run({std::string(PASTEBIN_SOURCE_DIR) + "/scripts/cluster", "up"}, "", Env());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    url = r.out.substr(0, r.out.find('\n'));
  }
  ~Cluster() { Script({"down"}); }
  RunResult Script(std::vector<std::string> args) const {
    args.insert(args.begin(), std::string(PASTEBIN_SOURCE_DIR) + "/scripts/cluster");
    return Run(args, "", Env());
  }
  // The member Patroni calls primary now ("" while none is).
  std::string Primary() const {
    RunResult r = Script({"primary"});
    return r.exit_code == 0 ? Trim(r.out) : "";
  }
  // A value the cluster keeps in its state file (pg1=PORT, ...).
  std::string State(const std::string& key) const {
    std::string state = ReadFile(dir / "cluster/state");
    size_t at = state.find("\n" + key + "=");
    if (at == std::string::npos) at = state.rfind(key + "=", 0) == 0 ? 0 : std::string::npos;
    if (at == std::string::npos) return "";
    at = state.find('=', at) + 1;
    return state.substr(at, state.find('\n', at) - at);
  }
  std::string MemberUrl(const std::string& member) const {
    return "host=127.0.0.1 port=" + State(member) + " user=postgres dbname=postgres";
  }
  // A member's line in scripts/cluster status: "pg1 ADDR primary", ...
  std::string Role(const std::string& member) const {
    std::string out = Script({"status"}).out;
    size_t at = out.find("\n" + member + " ");
    if (at == std::string::npos) return "";
    std::string line = out.substr(at + 1, out.find('\n', at + 1) - at - 1);
    return line.substr(line.find(' ', member.size() + 1) + 1);
  }
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

// Writers through the balancer, each creating pastes one after another until
// stopped; what was acknowledged (201) is kept with when it was.
class Writers {
 public:
  Writers(const std::string& url, int n) {
    for (int w = 0; w < n; ++w) {
      threads_.emplace_back([this, url, w] {
        httplib::Client http(url);
        http.set_read_timeout(10, 0);
        http.set_connection_timeout(2, 0);
        for (int i = 0; !stop_; ++i) {
          std::string body = "writer " + std::to_string(w) + ", paste " + std::to_string(i) + "\n";
          auto r = http.Post("/api/v1/paste", nlohmann::json{{"paste_contents", body}}.dump(),
                             "application/json");
          std::lock_guard<std::mutex> lock(mu_);
          if (r && r->status == 201) {
            acked_.push_back({nlohmann::json::parse(r->body)["shortlink"], body,
                              std::chrono::steady_clock::now()});
          } else {
            refused_++;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // not a busy loop
          }
        }
      });
    }
  }
  ~Writers() { Stop(); }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  size_t Acked() {
    std::lock_guard<std::mutex> lock(mu_);
    return acked_.size();
  }
  size_t AckedSince(std::chrono::steady_clock::time_point t) {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const Ack& a : acked_) n += a.at > t;
    return n;
  }
  struct Ack {
    std::string link, body;
    std::chrono::steady_clock::time_point at;
  };
  std::vector<Ack> acked_;  // read once stopped
  int refused_ = 0;

 private:
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

// Every acknowledged paste, through the balancer: the bodies that did not
// come back byte for byte (none, when nothing acknowledged was lost).
std::vector<std::string> Missing(const std::string& url, const std::vector<Writers::Ack>& acked) {
  httplib::Client http(url);
  http.set_read_timeout(10, 0);
  std::vector<std::string> missing;
  for (const auto& a : acked) {
    auto got = http.Get("/raw/" + a.link);
    if (!got || got->status != 200 || got->body != a.body) {
      missing.push_back(a.link + " (" + (got ? std::to_string(got->status) : "no answer") + ")");
    }
  }
  return missing;
}

TEST_CASE(
    "scripts/cluster: the PostgreSQL primary killed outright under 8 writers is replaced "
    "without a command, loses no acknowledged paste, and rejoins as a replica") {
  Cluster c;
  Writers writers(c.url, 8);
  // Three times the primary alone, then once with its host's etcd member.
  for (int round = 0; round < 4; ++round) {
    bool with_etcd = round == 3;
    INFO("round " << round << (with_etcd ? " (with etcd)" : ""));
    size_t before = writers.Acked();
    REQUIRE(WaitUntil([&] { return writers.Acked() >= before + 200; }, std::chrono::seconds(30)));
    std::string old = c.Primary();
    REQUIRE(!old.empty());
    std::vector<std::string> kill = {"kill", old};
    if (with_etcd) kill.push_back("--etcd");
    REQUIRE(c.Script(kill).exit_code == 0);
    auto killed = std::chrono::steady_clock::now();
    // Nobody runs a command: Patroni elects the synchronous standby.
    CHECK(WaitUntil(
        [&] {
          std::string now = c.Primary();
          return !now.empty() && now != old;
        },
        std::chrono::seconds(30)));
    // Writes through the balancer succeed again within 30 s of the kill.
    CHECK(WaitUntil([&] { return writers.AckedSince(killed) >= 10; }, std::chrono::seconds(30)));
    WARN("round " << round << ": " << old << " killed" << (with_etcd ? " with its etcd" : "")
                  << "; writes back after "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - killed)
                         .count()
                  << " ms");
    // The old primary, started again on its old address, never takes a
    // write: Patroni rewinds it and it follows as the synchronous standby.
    REQUIRE(c.Script({"start", old}).exit_code == 0);
    CHECK(
        WaitUntil([&] { return c.Role(old) == "synchronous standby"; }, std::chrono::seconds(90)));
  }
  writers.Stop();
  WARN(writers.acked_.size() << " acknowledged, " << writers.refused_ << " refused");
  std::vector<std::string> missing = Missing(c.url, writers.acked_);
  for (size_t i = 0; i < missing.size() && i < 10; ++i) UNSCOPED_INFO("lost: " << missing[i]);
  CHECK(missing.empty());
}

TEST_CASE(
    "scripts/cluster: the synchronous standby killed under 8 writers: writes go on, and it "
    "rejoins") {
  Cluster c;
  Writers writers(c.url, 8);
  REQUIRE(WaitUntil([&] { return writers.Acked() >= 200; }, std::chrono::seconds(30)));
  std::string primary = c.Primary();
  REQUIRE(!primary.empty());
  std::string standby = primary == "pg1" ? "pg2" : "pg1";
  REQUIRE(c.Role(standby) == "synchronous standby");
  REQUIRE(c.Script({"kill", standby}).exit_code == 0);
  auto killed = std::chrono::steady_clock::now();
  // Commits wait for it until Patroni drops it from synchronous
  // replication (about ttl); then writes go on, on the same primary.
  CHECK(WaitUntil([&] { return writers.AckedSince(killed + std::chrono::seconds(1)) >= 50; },
                  std::chrono::seconds(30)));
  CHECK(c.Primary() == primary);
  WARN("writes went on " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - killed)
                                .count()
                         << " ms after the standby died");
  REQUIRE(c.Script({"start", standby}).exit_code == 0);
  CHECK(WaitUntil([&] { return c.Role(standby) == "synchronous standby"; },
                  std::chrono::seconds(90)));
  writers.Stop();
  WARN(writers.acked_.size() << " acknowledged, " << writers.refused_ << " refused");
  CHECK(Missing(c.url, writers.acked_).empty());
}

TEST_CASE(
    "scripts/cluster: with every PostgreSQL member down, cached reads through the balancer "
    "succeed") {
  Cluster c;
  std::vector<std::pair<std::string, std::string>> pastes;
  for (int i = 0; i < 4; ++i) {
    std::string body = "cached " + std::to_string(i) + "\n";
    pastes.emplace_back(E2e::LinkOf(c.Cli(c.url, {"put"}, body).out), body);
  }
  // Each node reads each once: now in every node's cache.
  for (int n = 1; n <= 3; ++n) {
    for (const auto& [link, body] : pastes) REQUIRE(c.Cli(c.Node(n), {"get", link}).out == body);
  }
  REQUIRE(c.Script({"kill", "pg1"}).exit_code == 0);
  REQUIRE(c.Script({"kill", "pg2"}).exit_code == 0);
  // The nodes say they cannot write; the balancer's write side is empty.
  for (int n = 1; n <= 3; ++n) {
    CHECK(WaitUntil([&] {
      httplib::Client http(c.Node(n));
      auto r = http.Get("/readyz");
      return r && r->status == 503;
    }));
  }
  httplib::Client lb(c.url);
  lb.set_read_timeout(10, 0);
  auto write = lb.Post("/api/v1/paste", R"({"paste_contents": "nowhere\n"})", "application/json");
  REQUIRE(write);
  CHECK(write->status == 503);
  // Reads keep flowing, whichever node the balancer picks.
  int served = 0;
  for (int i = 0; i < 5; ++i) {
    for (const auto& [link, body] : pastes) {
      auto got = lb.Get("/raw/" + link);
      REQUIRE(got);
      CHECK(got->status == 200);
      CHECK(got->body == body);
      served += got->status == 200;
    }
  }
  CHECK(served == 20);
  // Back by themselves once PostgreSQL is.
  REQUIRE(c.Script({"start", "pg1"}).exit_code == 0);
  REQUIRE(c.Script({"start", "pg2"}).exit_code == 0);
  CHECK(WaitUntil(
      [&] {
        auto r = lb.Post("/api/v1/paste", R"({"paste_contents": "back\n"})", "application/json");
        return r && r->status == 201;
      },
      std::chrono::seconds(60)));
}

TEST_CASE(
    "scripts/cluster: with the replica's replay paused, no deleted paste is served again, "
    "across node restarts and after replay resumes") {
  Cluster c;
  std::vector<std::string> links;
  for (int i = 0; i < 12; ++i) {
    auto put = c.Cli(c.url, {"put"}, "soon deleted " + std::to_string(i) + "\n");
    REQUIRE(put.exit_code == 0);
    links.push_back(E2e::LinkOf(put.out));
  }
  std::string standby = c.Role("pg1") == "synchronous standby" ? "pg1" : "pg2";
  REQUIRE(c.Role(standby) == "synchronous standby");
  // The standby has replayed them (the nodes read it first), and every node
  // holds them in its cache.
  REQUIRE(WaitUntil([&] {
    return RunPsql(c.MemberUrl(standby), "SELECT count(*) FROM pastes") ==
           std::to_string(links.size());
  }));
  for (int n = 1; n <= 3; ++n) {
    for (const std::string& link : links) REQUIRE(c.Cli(c.Node(n), {"get", link}).exit_code == 0);
  }
  // Patroni resumes a paused replay unless the cluster is in maintenance
  // mode (patronictl pause): so first that, as an operator would.
  httplib::Client patroni("127.0.0.1", std::stoi(c.State("rest1")));
  auto paused = patroni.Patch("/config", R"({"pause": true})", "application/json");
  REQUIRE(paused);
  REQUIRE(paused->status == 200);
  REQUIRE(WaitUntil([&] {
    auto r = patroni.Get("/patroni");
    return r && nlohmann::json::parse(r->body).value("pause", false);
  }));
  RunPsql(c.MemberUrl(standby), "SELECT pg_wal_replay_pause()");
  for (const std::string& link : links) {
    auto deleted = c.Cli(c.url, {"delete", link});
    INFO(deleted.err);
    REQUIRE(deleted.exit_code == 0);
  }
  // Every node restarted: what they heard of the deletes is gone with them.
  for (int n = 1; n <= 3; ++n)
    REQUIRE(c.Script({"restart-node", std::to_string(n)}).exit_code == 0);
  REQUIRE(RunPsql(c.MemberUrl(standby), "SELECT pg_is_wal_replay_paused()") == "t");
  REQUIRE(RunPsql(c.MemberUrl(standby), "SELECT count(*) FROM pastes") ==
          std::to_string(links.size()));  // the replica still has every one
  auto served = [&] {
    int n = 0;
    for (const std::string& server : {c.url, c.Node(1), c.Node(2), c.Node(3)}) {
      httplib::Client http(server);
      http.set_read_timeout(10, 0);
      for (const std::string& link : links) {
        auto got = http.Get("/raw/" + link);
        REQUIRE(got);
        n += got->status != 404;
      }
    }
    return n;
  };
  for (int round = 0; round < 3; ++round) CHECK(served() == 0);
  RunPsql(c.MemberUrl(standby), "SELECT pg_wal_replay_resume()");
  REQUIRE(patroni.Patch("/config", R"({"pause": false})", "application/json"));
  REQUIRE(WaitUntil(
      [&] { return RunPsql(c.MemberUrl(standby), "SELECT count(*) FROM pastes") == "0"; }));
  CHECK(served() == 0);
}

TEST_CASE(
    "scripts/cluster: pgBackRest restores the cluster's database to a point in time, and a node "
    "serves it with tokens and statistics as they were") {
  Cluster c;
  httplib::Client lb(c.url);
  lb.set_read_timeout(10, 0);
  struct Paste {
    std::string link, token, body;
  };
  auto create = [&](const std::string& body) {
    auto r = lb.Post("/api/v1/paste", nlohmann::json{{"paste_contents", body}}.dump(),
                     "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 201);
    auto j = nlohmann::json::parse(r->body);
    return Paste{j["shortlink"], j["delete_token"], body};
  };
  std::vector<Paste> kept;
  for (int i = 0; i < 10; ++i)
    kept.push_back(create("before the backup " + std::to_string(i) + "\n"));
  REQUIRE(c.Script({"backup"}).exit_code == 0);
  for (int i = 0; i < 10; ++i)
    kept.push_back(create("after the backup " + std::to_string(i) + "\n"));
  // Visits, rolled up by every node, are part of what the point holds.
  for (const Paste& p : kept) REQUIRE(lb.Get("/raw/" + p.link)->status == 200);
  // (Each node has its own admin token, in its data dir.)
  auto admin = [&](int n, std::vector<std::string> args) {
    args.insert(args.begin(), {BinaryPath("pastebin"), "--server", c.Node(n)});
    return Run(args, "",
               {{"HOME", c.dir.path()},
                {"PASTEBIN_ADMIN_TOKEN_FILE",
                 c.dir / ("cluster/node" + std::to_string(n) + "/data/admin.token")}});
  };
  for (int n = 1; n <= 3; ++n) REQUIRE(admin(n, {"stats"}).exit_code == 0);
  auto then = nlohmann::json::parse(admin(1, {"stats", "--json", "--month", ThisMonth()}).out);
  REQUIRE(then["total_visits"] == 20);
  RunResult point = c.Script({"restore-point", "before-the-mistake"});
  INFO(point.err);
  REQUIRE(point.exit_code == 0);
  // What came after the point is not restored; nor is a delete after it.
  Paste later = create("after the point\n");
  auto deleted = lb.Delete("/api/v1/paste?shortlink=" + kept[0].link,
                           httplib::Headers{{"X-Delete-Token", kept[0].token}});
  REQUIRE(deleted);
  REQUIRE(deleted->status == 204);

  RunResult pitr = c.Script({"pitr", "name:before-the-mistake", c.dir / "cluster/restored"});
  INFO(pitr.err);
  REQUIRE(pitr.exit_code == 0);
  std::string port = Cluster::Trim(pitr.out);
  TempDir node_dir;
  Daemon node(node_dir / "data",
              {"--store", "postgres", "--postgres-url",
               "host=127.0.0.1 port=" + port + " user=postgres dbname=postgres"});
  node.Start();
  httplib::Client restored(node.url());
  auto month = nlohmann::json::parse(
      Run({BinaryPath("pastebin"), "--server", node.url(), "stats", "--json", "--month",
           ThisMonth()},
          "",
          {{"HOME", node_dir.path()}, {"PASTEBIN_ADMIN_TOKEN_FILE", node_dir / "data/admin.token"}})
          .out);
  CHECK(month["total_visits"] == then["total_visits"]);
  CHECK(month["pastes_visited"] == then["pastes_visited"]);
  for (const Paste& p : kept) {
    auto got = restored.Get("/raw/" + p.link);
    REQUIRE(got);
    CHECK(got->status == 200);
    CHECK(got->body == p.body);
  }
  CHECK(restored.Get("/raw/" + later.link)->status == 404);
  for (const Paste* p : {&kept[0], &kept[15]}) {
    auto gone = restored.Delete("/api/v1/paste?shortlink=" + p->link,
                                httplib::Headers{{"X-Delete-Token", p->token}});
    REQUIRE(gone);
    CHECK(gone->status == 204);
  }
}

TEST_CASE(
    "scripts/cluster: a SQLite data dir of 100k pastes migrates to the cluster with exact counts "
    "and the cluster serves every one") {
  Cluster c;
  // The single node a user outgrows: 100k pastes (1 in 50 over 1K, so a
  // file), 1 in 100 a short link, 1 in 97 burning, 1 in 10 expiring.
  TempDir single_dir;
  Daemon single(single_dir / "data", {"--inline-max-bytes", "1K"});
  single.Start();
  constexpr int kPastes = 100000, kWriters = 8;
  auto body_of = [](int i) {
    std::string body = "paste " + std::to_string(i) + " of the single node\n";
    if (i % 50 == 0) {
      for (int k = 0; body.size() < 1500; ++k) body += std::to_string(i * 31 + k) + " ";
    }
    return body;
  };
  std::vector<std::string> links(kPastes);
  std::atomic<int64_t> bytes{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      httplib::Client http(single.url());
      http.set_read_timeout(30, 0);
      for (int i = w; i < kPastes; i += kWriters) {
        nlohmann::json req;
        std::string path = "/api/v1/paste";
        if (i % 100 == 7) {
          path = "/api/v1/link";
          req["url"] = "https://example.com/" + std::to_string(i);
        } else {
          req["paste_contents"] = body_of(i);
          if (i % 97 == 3) req["burn_after_reading"] = true;
        }
        if (i % 10 == 1) req["expiration_length_in_minutes"] = 60 * 24 * 30;
        auto r = http.Post(path.c_str(), req.dump(), "application/json");
        if (!r || r->status != 201) continue;  // checked below: every link is set
        links[i] = nlohmann::json::parse(r->body)["shortlink"];
        bytes += static_cast<int64_t>(i % 100 == 7 ? req["url"].get<std::string>().size()
                                                   : body_of(i).size());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  for (int i = 0; i < kPastes; ++i) REQUIRE_FALSE(links[i].empty());
  // Visits on the single node, rolled up there.
  httplib::Client http(single.url());
  int64_t visits = 0;
  for (int i = 0; i < kPastes; i += 1000) {
    if (i % 97 == 3) continue;  // burning: a read would take it
    REQUIRE(http.Get("/raw/" + links[i])->status < 400);
    visits++;
  }
  auto operator_cli = [&](const std::string& server, const std::string& token,
                          std::vector<std::string> args) {
    args.insert(args.begin(), {BinaryPath("pastebin"), "--server", server});
    return Run(args, "", {{"HOME", c.dir.path()}, {"PASTEBIN_ADMIN_TOKEN_FILE", token}});
  };
  std::string single_token = single_dir / "data/admin.token";
  REQUIRE(operator_cli(single.url(), single_token, {"stats"}).exit_code == 0);
  auto visits_before = nlohmann::json::parse(
      operator_cli(single.url(), single_token, {"stats", "--json", "--month", ThisMonth()}).out);
  REQUIRE(visits_before["total_visits"] == visits);

  // export | import, the live node still serving.
  std::string stream = single_dir / "export.jsonl";
  RunResult exported =
      Run({BinaryPath("pasted"), "export", stream, "--data-dir", single_dir / "data"});
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.out.rfind("exported 100000 pastes (" + std::to_string(bytes.load()) +
                               " bytes) and " + std::to_string(visits) +
                               " visit counts from data dir ",
                           0) == 0);
  std::string cluster_db = c.State("postgres_url");
  RunResult imported = Run({BinaryPath("pasted"), "import", stream, "--store", "postgres",
                            "--postgres-url", cluster_db, "--data-dir", single_dir / "import"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(imported.out ==
        "imported 100000 pastes into PostgreSQL; 0 already there; 0 taken by "
        "others; " +
            std::to_string(bytes.load()) + " bytes; " + std::to_string(visits) + " visit counts\n");
  CHECK(RunPsql(cluster_db, "SELECT count(*), sum(size) FROM pastes") ==
        "100000|" + std::to_string(bytes.load()));
  CHECK(RunPsql(cluster_db, "SELECT total_visits, pastes_visited FROM monthly_totals") ==
        std::to_string(visits) + "|" + std::to_string(visits));
  // What the cluster holds exports as the same stream.
  RunResult again =
      Run({BinaryPath("pasted"), "export", single_dir / "again.jsonl", "--store", "postgres",
           "--postgres-url", cluster_db, "--data-dir", single_dir / "import"});
  REQUIRE(again.exit_code == 0);
  CHECK(ReadFile(single_dir / "again.jsonl") == ReadFile(stream));
  single.Stop();

  // Every paste through the balancer, byte for byte; short links redirect.
  std::atomic<int> served{0}, wrong{0};
  std::vector<std::thread> readers;
  for (int w = 0; w < kWriters; ++w) {
    readers.emplace_back([&, w] {
      httplib::Client lb(c.url);
      lb.set_read_timeout(30, 0);
      for (int i = w; i < kPastes; i += kWriters) {
        std::string path = "/raw/" + links[i] + (i % 97 == 3 ? "?burn=yes" : "");
        auto r = lb.Get(path);
        bool ok = i % 100 == 7 ? r && r->status == 302 &&
                                     r->get_header_value("Location") ==
                                         "https://example.com/" + std::to_string(i)
                               : r && r->status == 200 && r->body == body_of(i);
        (ok ? served : wrong)++;
      }
    });
  }
  for (std::thread& t : readers) t.join();
  CHECK(wrong == 0);
  CHECK(served == kPastes);
  // The visits came along: the cluster's statistics (asked of a node)
  // hold the single node's, and the reads since.
  std::string node_token = c.dir / "cluster/node1/data/admin.token";
  auto visits_after = nlohmann::json::parse(
      operator_cli(c.Node(1), node_token, {"stats", "--json", "--month", ThisMonth()}).out);
  CHECK(visits_after["total_visits"].get<int64_t>() >= visits);
}

}  // namespace
}  // namespace pastebin::testing
