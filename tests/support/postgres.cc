#include "tests/support/postgres.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "tests/support/subprocess.h"

namespace pastebin::testing {
namespace {

constexpr char kBin[] = "/usr/lib/postgresql/15/bin/";

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(a.sin_port);
}

}  // namespace

std::string RunPsql(const std::string& conninfo, const std::string& sql) {
  RunResult r = Run({"/usr/bin/psql", conninfo, "-v", "ON_ERROR_STOP=1", "-qtAc", sql});
  if (r.exit_code != 0) throw std::runtime_error("psql " + sql + ": " + r.out + r.err);
  while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

PostgresServer::PostgresServer() {
  if (access((std::string(kBin) + "initdb").c_str(), X_OK) != 0) {
    SkipTest("PostgreSQL 15 is not installed (./scripts/setup installs it)");
  }
  if (geteuid() == 0) {
    passwd* pg = getpwnam("postgres");
    if (pg == nullptr) SkipTest("there is no postgres user to run PostgreSQL as");
    if (chown(dir_.path().c_str(), pg->pw_uid, pg->pw_gid) != 0) {
      throw std::runtime_error("cannot hand " + dir_.path() + " to postgres");
    }
  }
  port_ = FreePort();
  RunAsOwner({std::string(kBin) + "initdb", "-D", dir_ / "data", "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"});
  RunAsOwner({std::string(kBin) + "pg_ctl", "-D", dir_ / "data", "-l", dir_ / "server.log", "-w",
              "start", "-o",
              "-p " + std::to_string(port_) + " -k " + dir_.path() +
                  " -c listen_addresses=127.0.0.1 -c fsync=off"});
  started_ = true;
}

PostgresServer::~PostgresServer() {
  if (!started_) return;
  try {
    RunAsOwner(
        {std::string(kBin) + "pg_ctl", "-D", dir_ / "data", "-m", "immediate", "-w", "stop"});
  } catch (const std::exception&) {
    // Already gone; the temp dir goes anyway.
  }
}

void PostgresServer::Stop() {
  RunAsOwner({std::string(kBin) + "pg_ctl", "-D", dir_ / "data", "-m", "fast", "-w", "stop"});
}

void PostgresServer::Start() {
  RunAsOwner({std::string(kBin) + "pg_ctl", "-D", dir_ / "data", "-l", dir_ / "server.log", "-w",
              "start", "-o",
              "-p " + std::to_string(port_) + " -k " + dir_.path() +
                  " -c listen_addresses=127.0.0.1 -c fsync=off"});
}

void PostgresServer::Restart() {
  RunAsOwner({std::string(kBin) + "pg_ctl", "-D", dir_ / "data", "-l", dir_ / "server.log", "-w",
              "-m", "fast", "restart"});
}

std::string PostgresServer::url() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=postgres";
}

void PostgresServer::RunAsOwner(std::vector<std::string> argv) const {
  if (geteuid() == 0) {
    argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres",
                               "--init-groups", "--"});
  }
  RunResult r = Run(argv);
  if (r.exit_code != 0) {
    std::string log = ReadFile(dir_ / "server.log");
    throw std::runtime_error(argv[0] + " failed (" + std::to_string(r.exit_code) + "): " + r.out +
                             r.err + log);
  }
}

}  // namespace pastebin::testing
