#include "daemon/store/postgres/pg_schema.h"

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "tests/support/postgres.h"

namespace pastebin {
namespace {

using testing::PostgresServer;

TEST_CASE("PostgreSQL migrations run once when several nodes start together") {
  PostgresServer pg;
  // Four nodes starting at the same moment, each with its own connection.
  std::vector<Status> results(4);
  std::vector<std::thread> nodes;
  for (size_t i = 0; i < results.size(); ++i) {
    nodes.emplace_back([&, i] {
      auto conn = PgConn::Open(pg.url());
      results[i] = conn.ok() ? MigratePgSchema(**conn) : conn.status();
    });
  }
  for (auto& t : nodes) t.join();
  for (const Status& s : results) CHECK(s.message() == "");

  auto conn = PgConn::Open(pg.url());
  REQUIRE(conn.ok());
  PgConn& c = **conn;
  CHECK(*PgSchemaVersion(c) == kPgSchemaVersion);
  auto tables = c.Query(
      "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables"
      " WHERE schemaname = 'public'");
  REQUIRE(tables.ok());
  CHECK(*(*tables)[0][0] ==
        "log_cursors,monthly_totals,monthly_visits,pasted_schema,pastes,store_totals");
  // Bodies are compressed by TOAST with lz4.
  auto compression = c.Query(
      "SELECT attcompression FROM pg_attribute WHERE attrelid = 'pastes'::regclass"
      " AND attname = 'body'");
  REQUIRE(compression.ok());
  CHECK(*(*compression)[0][0] == "l");
  // Starting again changes nothing.
  CHECK(MigratePgSchema(c).ok());
  CHECK(*PgSchemaVersion(c) == kPgSchemaVersion);

  // A database a newer pasted migrated is refused, untouched.
  REQUIRE(c.Exec("UPDATE pasted_schema SET version = 99").ok());
  Status newer = MigratePgSchema(c);
  CHECK(newer.code() == Code::kInternal);
  CHECK(newer.message() ==
        "the PostgreSQL database has pasted schema version 99, newer than this pasted (" +
            std::to_string(kPgSchemaVersion) + "); upgrade every node");
  CHECK(*PgSchemaVersion(c) == 99);
}

TEST_CASE("an unreachable PostgreSQL is unavailable, and the error says what to check") {
  // Port 1 on loopback: nothing listens there.
  auto conn = PgConn::Open("host=127.0.0.1 port=1 user=postgres connect_timeout=2");
  REQUIRE_FALSE(conn.ok());
  CHECK(conn.status().code() == Code::kUnavailable);
  CHECK_THAT(conn.status().message(), Catch::StartsWith("cannot connect to PostgreSQL ("));
  CHECK_THAT(conn.status().message(),
             Catch::EndsWith("); check postgres_url and that the server is up"));
}

}  // namespace
}  // namespace pastebin
