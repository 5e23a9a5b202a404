#include "daemon/store/postgres/pg_stats_store.h"

#include <catch2/catch.hpp>
#include <thread>

#include "daemon/store/postgres/pg_schema.h"
#include "tests/support/postgres.h"

namespace pastebin {
namespace {

using testing::PostgresServer;

TEST_CASE("visits rolled up by several PostgreSQL nodes at once add up exactly") {
  PostgresServer pg;
  {
    auto conn = PgConn::Open(pg.url());
    REQUIRE(conn.ok());
    REQUIRE(MigratePgSchema(**conn).ok());
  }
  auto a = PgStatsStore::Open(pg.url(), "node-a");
  auto b = PgStatsStore::Open(pg.url(), "node-b");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  // The same pastes seen by both nodes, in different orders, 50 rollups each.
  std::vector<VisitCount> seen_by_a = {{"2026-11", "Yyyyyy2", 1}, {"2026-11", "Xxxxxx1", 3}};
  std::vector<VisitCount> seen_by_b = {
      {"2026-11", "Zzzzzz3", 5}, {"2026-11", "Yyyyyy2", 2}, {"2026-10", "Xxxxxx1", 1}};
  Status failed_a, failed_b;
  std::thread ta([&] {
    for (int i = 1; i <= 50 && failed_a.ok(); ++i) {
      failed_a = (*a)->Apply(seen_by_a, {"aaaa", "/var/log/a", i * 100}, 1800000000 + i);
    }
  });
  std::thread tb([&] {
    for (int i = 1; i <= 50 && failed_b.ok(); ++i) {
      failed_b = (*b)->Apply(seen_by_b, {"aaaa", "/var/log/b", i * 7}, 1800000000 + i);
    }
  });
  ta.join();
  tb.join();
  REQUIRE(failed_a.message() == "");
  REQUIRE(failed_b.message() == "");

  for (PgStatsStore* node : {a->get(), b->get()}) {
    auto months = node->Months();
    REQUIRE(months.ok());
    REQUIRE(months->months.size() == 2);
    CHECK(months->months[0].month == "2026-10");
    CHECK(months->months[0].total_visits == 50);
    CHECK(months->months[0].pastes_visited == 1);
    CHECK(months->months[1].month == "2026-11");
    CHECK(months->months[1].total_visits == 550);
    CHECK(months->months[1].pastes_visited == 3);
    auto month = node->Month("2026-11", 2);
    REQUIRE(month.ok());
    REQUIRE(month->pastes.size() == 2);
    CHECK(month->pastes[0].shortlink == "Zzzzzz3");
    CHECK(month->pastes[0].visits == 250);
    CHECK(month->pastes[1].shortlink == "Xxxxxx1");  // ties with Yyyyyy2 by name
    CHECK(month->pastes[1].visits == 150);
    CHECK(node->Month("2026-11", 0)->pastes.size() == 3);
    CHECK(node->Month("1999-01", 0)->total_visits == 0);
  }
  // Each node's cursor is its own, saved with its counts.
  CHECK((*a)->CursorOffset("aaaa")->value() == 5000);
  CHECK((*b)->CursorOffset("aaaa")->value() == 350);
  CHECK_FALSE((*a)->CursorOffset("bbbb")->has_value());
  REQUIRE((*a)->KeepOnlyCursors({"cccc"}).ok());
  CHECK_FALSE((*a)->CursorOffset("aaaa")->has_value());
  CHECK((*b)->CursorOffset("aaaa")->value() == 350);
}

}  // namespace
}  // namespace pastebin
