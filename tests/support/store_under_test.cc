#include "tests/support/store_under_test.h"

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>

#include "tests/support/postgres.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

// The server's connection string, or empty outside the e2e-pg run.
std::string ServerUrl() {
  const char* dir = getenv("PASTEBIN_TEST_POSTGRES_DIR");
  if (dir == nullptr || dir[0] == '\0') return "";
  std::string url = ReadFile(std::string(dir) + "/url");
  while (!url.empty() && url.back() == '\n') url.pop_back();
  if (url.empty()) SkipTest("PostgreSQL 15 is not installed (./scripts/setup installs it)");
  return url;
}

std::string Psql(const std::string& url, const std::string& sql,
                 const std::string& database = "postgres") {
  return RunPsql(url + " dbname=" + database, sql);
}

}  // namespace

bool StoreUnderTest::Postgres() {
  const char* dir = getenv("PASTEBIN_TEST_POSTGRES_DIR");
  return dir != nullptr && dir[0] != '\0';
}

StoreUnderTest::StoreUnderTest() : url_(ServerUrl()) {
  if (url_.empty()) return;
  static std::atomic<int> made{0};
  database_ = "e2e_" + std::to_string(getpid()) + "_" + std::to_string(made++);
  Psql(url_, "CREATE DATABASE " + database_);
}

StoreUnderTest::~StoreUnderTest() {
  if (database_.empty()) return;
  try {
    Psql(url_, "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The server goes at the end of the run anyway.
  }
}

std::string StoreUnderTest::Query(const std::string& sql) const {
  if (database_.empty()) throw std::logic_error("Query outside the e2e-pg run");
  return Psql(url_, sql, database_);
}

std::vector<std::string> StoreUnderTest::With(std::vector<std::string> flags) const {
  if (database_.empty()) return flags;
  flags.insert(flags.end(), {"--store", "postgres", "--postgres-url", url_ + " dbname=" + database_,
                             "--node-name", database_});
  return flags;
}

}  // namespace pastebin::testing
