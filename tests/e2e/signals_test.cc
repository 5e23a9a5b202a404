// Process behaviour on signals, seen from a client in the middle of a
// request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "tests/e2e/fixture.h"
#include "tests/support/raw_http.h"

namespace pastebin::testing {
namespace {

TEST_CASE("SIGTERM lets a request in flight finish, then exits 0") {
  E2e e;
  std::string body = R"({"paste_contents": "finished after SIGTERM"})";
  int fd = ConnectTo(e.daemon.port(), 30);
  // A first request on the connection, so a worker owns it (connections
  // still in the kernel's accept queue are reset at shutdown, as with any
  // server that closes its listening socket).
  REQUIRE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  REQUIRE_THAT(ReadResponse(fd), Catch::StartsWith("HTTP/1.1 200 OK"));
  REQUIRE(SendAll(fd,
                  "POST /api/v1/paste HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  "Content-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10)));
  // The worker is now reading the body. Ask the daemon to stop, and send
  // the rest once it is shutting down.
  e.daemon.Signal(SIGTERM);
  REQUIRE(WaitUntil([&] { return e.daemon.log().find("shutting down") != std::string::npos; }));
  REQUIRE(SendAll(fd, body.substr(10)));
  std::string answer = ReadAll(fd);
  close(fd);
  CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 201 Created"));
  auto start = std::chrono::steady_clock::now();
  CHECK(e.daemon.Stop() == 0);  // already stopping; waits for the exit
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));

  // The paste it acknowledged is there after a restart.
  std::string json = answer.substr(answer.find("\r\n\r\n") + 4);
  std::string link = nlohmann::json::parse(json)["shortlink"];
  e.daemon.Start();
  CHECK(e.Cli({"get", link}).out == "finished after SIGTERM");
}

TEST_CASE("SIGTERM with idle keep-alive clients still exits within seconds") {
  E2e e;
  int fd = ConnectTo(e.daemon.port(), 30);
  REQUIRE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));  // stays open after
  char buf[512];
  REQUIRE(recv(fd, buf, sizeof(buf), 0) > 0);
  auto start = std::chrono::steady_clock::now();
  CHECK(e.daemon.Stop() == 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(8));
  close(fd);
}

}  // namespace
}  // namespace pastebin::testing
