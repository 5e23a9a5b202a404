// A node cut off from PostgreSQL by the network (its packets dropped, not
// refused: nothing tells either side): every wait is bounded by
// postgres_timeout, so writes get 503 with Retry-After and /readyz 503 in
// seconds, cached reads go on, and the node recovers by itself. The cut is
// an nftables table the test adds and removes (root only).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "tests/e2e/fixture.h"
#include "tests/support/postgres.h"

namespace pastebin::testing {
namespace {

// Drops every TCP packet to or from one port on this host while it lives.
class PacketDrop {
 public:
  explicit PacketDrop(int port) : table_("pasted_test_" + std::to_string(getpid())) {
    if (geteuid() != 0 || !HaveProgram("nft")) {
      SkipTest("cutting the network needs root and nft (./scripts/setup installs nftables)");
    }
    std::string p = std::to_string(port);
    RunResult r = Nft("add table inet " + table_ + "\n" + "add chain inet " + table_ +
                      " out { type filter hook output priority -10 ; }\n" + "add rule inet " +
                      table_ + " out tcp dport " + p + " drop\n" + "add rule inet " + table_ +
                      " out tcp sport " + p + " drop\n");
    if (r.exit_code != 0) SkipTest("nft cannot add a table here: " + r.err);
  }
  ~PacketDrop() { Heal(); }
  void Heal() {
    if (!healed_) Nft("delete table inet " + table_ + "\n");
    healed_ = true;
  }

 private:
  static RunResult Nft(const std::string& script) {
    std::string nft = access("/usr/sbin/nft", X_OK) == 0 ? "/usr/sbin/nft" : "/sbin/nft";
    return Run({nft, "-f", "-"}, script);
  }
  std::string table_;
  bool healed_ = false;
};

TEST_CASE("a node cut from PostgreSQL answers writes and /readyz 503 within 5 s and heals") {
  PostgresServer pg;
  E2e a({"--store", "postgres", "--postgres-url", pg.url(), "--threads", "4"});
  std::string link = E2e::LinkOf(a.Cli({"put"}, "cached\n").out);
  REQUIRE(a.Http().Get("/raw/" + link)->status == 200);
  REQUIRE(a.Http().Get("/readyz")->status == 200);

  PacketDrop cut(pg.port());
  // The client gives up after 5 s: an answer at all is the bound.
  auto within5 = [&] {
    httplib::Client c(a.daemon.url());
    c.set_read_timeout(5, 0);
    return c;
  };
  for (int i = 0; i < 2; ++i) {  // a pooled connection, then a new one
    auto write =
        within5().Post("/api/v1/paste", R"({"paste_contents": "cut?\n"})", "application/json");
    REQUIRE(write);
    CHECK(write->status == 503);
    CHECK(write->get_header_value("Retry-After") == "2");
  }
  auto ready = within5().Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 503);
  auto cached = within5().Get("/raw/" + link);
  REQUIRE(cached);
  CHECK(cached->body == "cached\n");
  // A paste the node never saw: no answer from the store within the bound.
  auto cold = within5().Get("/raw/Zz9Zz9Z");
  REQUIRE(cold);
  CHECK(cold->status == 503);

  cut.Heal();
  std::string back;
  CHECK(WaitUntil(
      [&] {
        auto r =
            within5().Post("/api/v1/paste", R"({"paste_contents": "back\n"})", "application/json");
        if (r && r->status == 201) back = r->body;
        return r && r->status == 201;
      },
      std::chrono::seconds(20)));
  CHECK(WaitUntil([&] { return within5().Get("/readyz")->status == 200; }));
  CHECK(a.Cli({"get", link}).out == "cached\n");
}

}  // namespace
}  // namespace pastebin::testing
