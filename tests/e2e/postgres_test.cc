// pasted nodes sharing PostgreSQL (store postgres): what one node stores,
// every node serves, and visits to any node add up in one set of monthly
// statistics. Each test starts its own throwaway PostgreSQL 15.
#include "tests/support/postgres.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/fixture.h"

namespace pastebin::testing {
namespace {

std::vector<std::string> NodeFlags(const PostgresServer& pg, const std::string& name) {
  return {"--store", "postgres", "--postgres-url", pg.url(), "--node-name", name};
}

// A node on its own PostgreSQL with one paste ("cached\n") in its cache.
struct CachedNode {
  CachedNode() { REQUIRE(a.Http().Get("/raw/" + link)->status == 200); }
  PostgresServer pg;
  E2e a{NodeFlags(pg, "a")};
  std::string link = E2e::LinkOf(a.Cli({"put"}, "cached\n").out);
};

TEST_CASE("a paste written via one PostgreSQL node reads back byte for byte via another") {
  PostgresServer pg;
  E2e a(NodeFlags(pg, "a"));
  E2e b(NodeFlags(pg, "b"));
  std::string small = "from node a\n\ttabs, ünïcode, \\ and \"quotes\"\n";
  std::string big;
  for (int i = 0; big.size() < 300000; ++i)
    big += "line " + std::to_string(i * 7919 % 10007) + "\n";
  for (const std::string& body : {small, big}) {
    auto put = a.Cli({"put"}, body);
    REQUIRE(put.exit_code == 0);
    std::string link = E2e::LinkOf(put.out);
    auto got = b.Cli({"get", link});
    CHECK(got.exit_code == 0);
    CHECK(got.out == body);
    auto raw = b.Http().Get("/raw/" + link);
    REQUIRE(raw);
    CHECK(raw->body == body);
  }
  // Nothing of the pastes is in either node's data dir.
  CHECK_FALSE(std::filesystem::exists(a.dir / "data/pastes.db"));
  CHECK_FALSE(std::filesystem::exists(b.dir / "data/pastes.db"));
  CHECK(a.Http().Get("/readyz")->status == 200);
}

TEST_CASE("a delete via one PostgreSQL node reaches the others' warm caches") {
  PostgresServer pg;
  E2e a(NodeFlags(pg, "a"));
  E2e b(NodeFlags(pg, "b"));
  E2e c(NodeFlags(pg, "c"));
  auto created =
      a.Http().Post("/api/v1/paste", R"({"paste_contents": "short-lived\n"})", "application/json");
  REQUIRE(created);
  REQUIRE(created->status == 201);
  auto paste = nlohmann::json::parse(created->body);
  std::string link = paste["shortlink"];
  // Every node has it cached: read twice each.
  for (E2e* node : {&a, &b, &c}) {
    for (int i = 0; i < 2; ++i) REQUIRE(node->Http().Get("/raw/" + link)->status == 200);
  }
  httplib::Headers token = {{"X-Delete-Token", paste["delete_token"].get<std::string>()}};
  auto deleted = c.Http().Delete("/api/v1/paste?shortlink=" + link, token);
  REQUIRE(deleted);
  CHECK(deleted->status == 204);
  // The others hear of it within 200 ms (their caches never expire a paste
  // on their own).
  for (E2e* node : {&a, &b}) {
    CHECK(WaitUntil([&] { return node->Http().Get("/raw/" + link)->status == 404; },
                    std::chrono::milliseconds(200)));
  }
  CHECK(c.Http().Get("/raw/" + link)->status == 404);
}

TEST_CASE(
    "with PostgreSQL away a node answers writes 503 with Retry-After, serves what it "
    "cached, and recovers by itself") {
  CachedNode n;
  PostgresServer& pg = n.pg;
  E2e& a = n.a;
  const std::string& link = n.link;
  pg.Stop();
  auto write =
      a.Http().Post("/api/v1/paste", R"({"paste_contents": "lost?\n"})", "application/json");
  REQUIRE(write);
  CHECK(write->status == 503);
  CHECK(write->get_header_value("Retry-After") == "2");
  CHECK_THAT(write->body,
             Catch::Contains("the server cannot do this right now; try again shortly"));
  CHECK(a.Http().Get("/raw/" + link)->body == "cached\n");
  CHECK(a.Http().Get("/readyz")->status == 503);
  pg.Start();
  // Without restarting pasted, writes go in again.
  CHECK(WaitUntil([&] {
    auto r = a.Http().Post("/api/v1/paste", R"({"paste_contents": "back\n"})", "application/json");
    return r && r->status == 201;
  }));
  CHECK(WaitUntil([&] { return a.Http().Get("/readyz")->status == 200; }));
}

TEST_CASE(
    "a fast restart of PostgreSQL: writes get 201 or 503 with Retry-After, reads go on, "
    "and writes succeed again within 5 s") {
  CachedNode n;
  PostgresServer& pg = n.pg;
  E2e& a = n.a;
  const std::string& link = n.link;
  std::atomic<bool> restarted{false};
  std::vector<std::string> odd;  // answers other than 201, or 503 with Retry-After
  int writes = 0, reads_wrong = 0;
  std::thread client([&] {
    httplib::Client http = a.Http();
    while (!restarted) {
      auto w = http.Post("/api/v1/paste", R"({"paste_contents": "during\n"})", "application/json");
      ++writes;
      if (!w) {
        odd.push_back("no answer");
      } else if (w->status != 201 &&
                 !(w->status == 503 && w->get_header_value("Retry-After") == "2")) {
        odd.push_back(std::to_string(w->status) + " " + w->body);
      }
      auto r = http.Get("/raw/" + link);
      if (!r || r->body != "cached\n") ++reads_wrong;
    }
  });
  pg.Restart();  // pg_ctl restart -m fast
  restarted = true;
  client.join();
  CHECK(writes > 0);
  CHECK(odd.empty());
  for (const std::string& o : odd) UNSCOPED_INFO(o);
  CHECK(reads_wrong == 0);
  // Without restarting pasted, within 5 s (in fact the first try: a
  // connection the restart closed is left in favour of a new one).
  CHECK(WaitUntil(
      [&] {
        auto r =
            a.Http().Post("/api/v1/paste", R"({"paste_contents": "after\n"})", "application/json");
        return r && r->status == 201;
      },
      std::chrono::seconds(5)));
}

TEST_CASE("reads from PostgreSQL with the cache off are right at once and across a restart") {
  PostgresServer pg;
  std::vector<std::string> flags = NodeFlags(pg, "a");
  flags.insert(flags.end(), {"--cache-bytes", "0"});
  E2e a(flags);
  std::vector<std::string> links, bodies;
  for (int i = 0; i < 12; ++i) {
    bodies.push_back("paste " + std::to_string(i) + "\n" + std::string(i * 100, 'x'));
    links.push_back(E2e::LinkOf(a.Cli({"put"}, bodies.back()).out));
  }
  // Each event loop asks for what it reads itself, several at once.
  auto read_all = [&] {
    std::vector<std::string> wrong(4);
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&, t] {
        httplib::Client http = a.Http();
        for (int round = 0; round < 30; ++round) {
          size_t i = static_cast<size_t>(t * 7 + round) % (links.size() + 1);
          auto r = http.Get("/raw/" + (i == links.size() ? std::string("Zz9Zz9Z") : links[i]));
          int want = i == links.size() ? 404 : 200;
          if (!r || r->status != want || (want == 200 && r->body != bodies[i])) {
            wrong[t] = (i == links.size() ? "Zz9Zz9Z" : links[i]) + ": " +
                       (r ? std::to_string(r->status) : "no answer");
          }
        }
      });
    }
    for (auto& c : clients) c.join();
    for (const std::string& w : wrong) CHECK(w == "");
  };
  read_all();
  // The loops' connections are cut: the first read after is asked again
  // on a new one, not failed.
  pg.Restart();
  read_all();
}

TEST_CASE(
    "20,000 expired pastes collected by gc on two PostgreSQL nodes at once: each deleted "
    "once") {
  PostgresServer pg;
  E2e a(NodeFlags(pg, "a"));
  E2e b(NodeFlags(pg, "b"));
  std::string keep = E2e::LinkOf(a.Cli({"put"}, "not expired\n").out);
  // The expired rows go in directly (through the API it would take a
  // minute), with the running totals they add.
  int64_t now = time(nullptr);
  pg.Psql(
      "INSERT INTO pastes (shortlink, created_at, expiration_length_in_minutes, expires_at,"
      " size, codec, stored_size, delete_token_hash, body)"
      " SELECT 'G' || lpad(i::text, 6, '0'), " +
      std::to_string(now - 7200) + ", 60, " + std::to_string(now - 3600) +
      ", 5, 0, 5, repeat('a', 64), 'gone\n'::bytea"
      " FROM generate_series(1, 20000) i;"
      " INSERT INTO store_totals VALUES ('seed', 20000, 100000, 100000)");
  RunResult gc[2];
  std::thread on_a([&] { gc[0] = a.Cli({"gc", "--json"}); });
  std::thread on_b([&] { gc[1] = b.Cli({"gc", "--json"}); });
  on_a.join();
  on_b.join();
  int64_t deleted = 0, freed = 0;
  for (const RunResult& r : gc) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    deleted += j["deleted"].get<int64_t>();
    freed += j["bytes_freed"].get<int64_t>();
  }
  CHECK(deleted == 20000);
  CHECK(freed == 100000);
  CHECK(pg.Psql("SELECT count(*) FROM pastes") == "1");
  CHECK(nlohmann::json::parse(b.Cli({"gc", "--json"}).out)["deleted"] == 0);
  CHECK(b.Cli({"get", keep}).out == "not expired\n");
  auto stats = nlohmann::json::parse(b.Cli({"stats", "--json"}).out);
  CHECK(stats["storage"]["pastes"] == 1);
}

TEST_CASE("visits to several PostgreSQL nodes add up in one set of statistics") {
  PostgresServer pg;
  E2e a(NodeFlags(pg, "a"));
  E2e b(NodeFlags(pg, "b"));
  std::string link = E2e::LinkOf(a.Cli({"put"}, "counted\n").out);
  for (int i = 0; i < 3; ++i) REQUIRE(a.Cli({"get", link}).exit_code == 0);
  for (int i = 0; i < 2; ++i) REQUIRE(b.Cli({"get", link}).exit_code == 0);
  // Asking a node rolls up its own log; b then a, and a sees both.
  REQUIRE(b.Cli({"stats"}).exit_code == 0);
  auto month = nlohmann::json::parse(a.Cli({"stats", "--json", "--month", ThisMonth()}).out);
  CHECK(month["total_visits"] == 5);
  CHECK(month["pastes_visited"] == 1);
  // Asking again adds nothing.
  REQUIRE(b.Cli({"stats"}).exit_code == 0);
  auto again = nlohmann::json::parse(b.Cli({"stats", "--json", "--month", ThisMonth()}).out);
  CHECK(again["total_visits"] == 5);
}

TEST_CASE(
    "three nodes with default names on one host count visits exactly and a live name is refused") {
  PostgresServer pg;
  std::vector<std::string> defaults = {"--store", "postgres", "--postgres-url", pg.url()};
  E2e a(defaults), b(defaults), c(defaults);
  std::string link = E2e::LinkOf(a.Cli({"put"}, "counted once\n").out);
  int served = 0;
  for (E2e* node : {&a, &b, &c}) {
    for (int i = 0; i < 3 + served % 2; ++i, ++served) {
      REQUIRE(node->Cli({"get", link}).exit_code == 0);
    }
  }
  // Each node rolls up its own log when asked; asking again, in any
  // order, adds nothing.
  for (int round = 0; round < 2; ++round) {
    for (E2e* node : {&c, &a, &b}) REQUIRE(node->Cli({"stats"}).exit_code == 0);
  }
  auto month = nlohmann::json::parse(b.Cli({"stats", "--json", "--month", ThisMonth()}).out);
  CHECK(month["total_visits"] == served);
  CHECK(month["pastes_visited"] == 1);
  CHECK(pg.Psql("SELECT count(DISTINCT node) FROM log_cursors") == "3");

  // A fourth node given a's name (a is alive) refuses, and says what to do.
  std::string a_name = pg.Psql("SELECT node FROM log_cursors ORDER BY updated_at, node LIMIT 1");
  REQUIRE(!a_name.empty());
  TempDir dir;
  // (timeout: a pasted that wrongly starts would serve until stopped)
  RunResult r = Run({"/usr/bin/timeout", "20", BinaryPath("pasted"), "--data-dir", dir / "data",
                     "--listen", "127.0.0.1:0", "--store", "postgres", "--postgres-url", pg.url(),
                     "--node-name", a_name});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("another live pasted uses node_name '" + a_name + "'"));
  CHECK_THAT(r.err, Catch::Contains("give each node its own node_name"));
  // Its name is its own across restarts: a again has the name it had.
  std::string id = ReadFile(a.dir / "data/node.id");
  a.daemon.Stop();
  a.daemon.Start();
  REQUIRE(a.Cli({"get", link}).exit_code == 0);
  ++served;
  REQUIRE(a.Cli({"stats"}).exit_code == 0);
  CHECK(ReadFile(a.dir / "data/node.id") == id);
  CHECK(pg.Psql("SELECT count(DISTINCT node) FROM log_cursors") == "3");
  month = nlohmann::json::parse(c.Cli({"stats", "--json", "--month", ThisMonth()}).out);
  CHECK(month["total_visits"] == served);
}

TEST_CASE("a node that used its host name as its name keeps its log cursor under its own") {
  PostgresServer pg;
  std::vector<std::string> defaults = {"--store", "postgres", "--postgres-url", pg.url()};
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  E2e a({"--store", "postgres", "--postgres-url", pg.url(), "--node-name", host});
  std::string link = E2e::LinkOf(a.Cli({"put"}, "old name\n").out);
  for (int i = 0; i < 2; ++i) REQUIRE(a.Cli({"get", link}).exit_code == 0);
  REQUIRE(a.Cli({"stats"}).exit_code == 0);
  // The same data dir, started again as a newer pasted starts: no name given.
  a.daemon.Stop();
  Daemon newer(a.dir / "data", defaults);
  newer.Start();
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {BinaryPath("pastebin"), "--server", newer.url()});
    return Run(
        args, "",
        {{"HOME", a.dir / "home"}, {"PASTEBIN_ADMIN_TOKEN_FILE", a.dir / "data/admin.token"}});
  };
  REQUIRE(cli({"get", link}).exit_code == 0);
  REQUIRE(cli({"stats"}).exit_code == 0);
  auto month = nlohmann::json::parse(cli({"stats", "--json", "--month", ThisMonth()}).out);
  CHECK(month["total_visits"] == 3);
  CHECK(pg.Psql("SELECT node FROM log_cursors") != host);
}

TEST_CASE("the example node config (scripts/several-nodes/pasted-node.conf) starts a node") {
  PostgresServer pg;
  // Its own keys as they are; the addresses of this machine over them.
  E2e node({"--config",
            std::string(PASTEBIN_SOURCE_DIR) + "/scripts/several-nodes/pasted-node.conf",
            "--postgres-url", pg.url(), "--postgres-read-url", pg.url(), "--public-url",
            "http://paste.test", "--admin-token-file", ""});
  auto put = node.Cli({"put"}, "from the example node\n");
  REQUIRE(put.exit_code == 0);
  CHECK(put.out.rfind("http://paste.test/", 0) == 0);
  CHECK(node.Cli({"get", E2e::LinkOf(put.out)}).out == "from the example node\n");
  CHECK(pg.Psql("SELECT node FROM log_cursors UNION SELECT node FROM store_totals"
                " WHERE node <> ''") == "web1");
}

TEST_CASE("store postgres without postgres_url is refused at start, saying what to set") {
  TempDir dir;
  RunResult r = Run({BinaryPath("pasted"), "--data-dir", dir / "data", "--listen", "127.0.0.1:0",
                     "--store", "postgres"});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("store postgres needs postgres_url (a libpq connection "
                                    "string, e.g. host=db1,db2 dbname=pastebin "
                                    "target_session_attrs=read-write)"));
}

TEST_CASE("the example balancer configs pass haproxy -c and nginx -t") {
  std::string examples = std::string(PASTEBIN_SOURCE_DIR) + "/scripts/several-nodes/";
  if (!HaveProgram("haproxy") || !HaveProgram("nginx")) {
    SkipTest("haproxy or nginx is not installed (./scripts/setup installs them)");
  }
  RunResult haproxy = Run({"/usr/sbin/haproxy", "-c", "-f", examples + "haproxy.cfg"});
  // Patroni's own check of its example (listening here: the validator
  // binds what listen names).
  if (HaveProgram("patroni")) {
    TempDir p;
    std::string yml = ReadFile(examples + "patroni.yml");
    for (auto [from, to] :
         {std::pair<std::string, std::string>{
              "listen: 10.0.0.21:8008", "listen: 127.0.0.1:" + std::to_string(FreeLoopbackPort())},
          {"listen: 10.0.0.21:5432", "listen: 127.0.0.1:" + std::to_string(FreeLoopbackPort())}}) {
      REQUIRE(yml.find(from) != std::string::npos);
      yml.replace(yml.find(from), from.size(), to);
    }
    WriteFile(p / "patroni.yml", yml);
    RunResult patroni = Run({"/usr/bin/patroni", "--validate-config", p / "patroni.yml"});
    INFO(patroni.out << patroni.err);
    CHECK(patroni.exit_code == 0);
    CHECK_THAT(yml, Catch::Contains("synchronous_mode: true"));
    CHECK_THAT(yml, Catch::Contains("use_pg_rewind: true"));
  }
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

}  // namespace
}  // namespace pastebin::testing
