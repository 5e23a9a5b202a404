// A throwaway PostgreSQL 15 server for a test: initdb in a temp dir, pg_ctl
// start on a free port (as the postgres user when the test runs as root,
// since initdb refuses root), stopped and removed when the object goes.
// fsync is off: these servers hold test data only.
#ifndef PASTEBIN_TESTS_SUPPORT_POSTGRES_H_
#define PASTEBIN_TESTS_SUPPORT_POSTGRES_H_

#include <string>

#include "tests/support/temp_dir.h"

namespace pastebin::testing {

// Runs one SQL text with psql on the database a libpq connection string
// names and returns its answer as unaligned text without the last newline;
// throws std::runtime_error with psql's words when it fails.
std::string RunPsql(const std::string& conninfo, const std::string& sql);

class PostgresServer {
 public:
  // Skips the test (SkipTest) when PostgreSQL 15 is not installed; throws
  // std::runtime_error with its log when it does not start.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // pg_ctl restart -m fast: every client connection is cut.
  void Restart();
  // pg_ctl stop -m fast, and start again on the same port.
  void Stop();
  void Start();

  // A libpq connection string for the postgres database.
  std::string url() const;
  // RunPsql on it.
  std::string Psql(const std::string& sql) const { return RunPsql(url(), sql); }
  int port() const { return port_; }

 private:
  // argv run as the server's user; throws with what it printed on failure.
  void RunAsOwner(std::vector<std::string> argv) const;
  TempDir dir_;
  int port_ = 0;
  bool started_ = false;
};

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_POSTGRES_H_
