// One unauthenticated client trying to exhaust a real pasted: memory,
// connections, file descriptors and CPU. Each case is an attack that
// worked against an earlier daemon, with the figure it reached then; the
// bounds here are resident memory and CPU time the test reads from /proc,
// far under those figures, never wall-clock timings.
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/fixture.h"
#include "tests/support/raw_http.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

constexpr int64_t kMiB = 1 << 20;

constexpr int64_t kMemoryBound = kDaemonMemoryBound;

int64_t WatchPeak(pid_t pid, int ms) { return WatchPeakRss(pid, ms); }

bool Healthy(E2e& e) {
  auto r = e.Http().Get("/healthz");
  return r && r->status == 200;
}

TEST_CASE("pipelined requests from a client that never reads do not pile up answers") {
  // Regression: ~51 KB of pipelined GETs of a 1 MiB paste took the daemon
  // from 13 MiB to 1.2 GiB, and it stayed there.
  E2e e;
  std::string link = e.CreatePaste(std::string(kMiB, 'p'));
  REQUIRE(e.Http().Get("/" + link)->status == 200);  // cached now
  int fd = ConnectTo(e.daemon.port());
  REQUIRE(fd >= 0);
  std::string one = "GET /" + link + " HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string many;
  while (many.size() < 51 * 1024) many += one;
  // The daemon stops reading once its answers back up: the send may only
  // partly go through, which is the point.
  std::thread sender([&] { SendAll(fd, many); });
  int64_t peak = WatchPeak(e.daemon.pid(), 2000);
  CHECK(peak < kMemoryBound);
  // Everyone else is served meanwhile.
  CHECK(Healthy(e));
  CHECK(e.Cli({"get", link}).out.size() == static_cast<size_t>(kMiB));
  // The greedy client still gets its answers, in order, once it reads.
  std::string first = ReadResponse(fd);
  CHECK(StatusOf(first) == 200);
  CHECK(BodyOf(first) == std::string(kMiB, 'p'));
  shutdown(fd, SHUT_RDWR);
  sender.join();
  close(fd);
}

TEST_CASE("a body trickled a byte at a time is cut off by the minimum rate") {
  // Regression: 1 byte every 5 s held a connection forever, since only the
  // pause between bytes was timed; 50 such clients could fill
  // max_connections.
  E2e e({"--request-timeout", "1", "--max-connections", "60"});
  std::vector<int> fds;
  for (int i = 0; i < 50; ++i) {
    int fd = ConnectTo(e.daemon.port(), 10);
    REQUIRE(fd >= 0);
    REQUIRE(SendAll(fd,
                    "POST /api/v1/paste HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                    "Content-Type: application/json\r\n\r\n{"));
    fds.push_back(fd);
  }
  // Each pause (200 ms) is well within request_timeout; the rate is not.
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    while (!stop) {
      for (int fd : fds) send(fd, " ", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  int timed_out = 0;
  for (int fd : fds) {
    std::string answer = ReadAll(fd);  // the daemon closes after its 408
    if (StatusOf(answer) == 408 &&
        json::parse(BodyOf(answer))["error"]["message"] ==
            "the request body arrived too slowly (under 1024 bytes a second)") {
      ++timed_out;
    }
  }
  stop = true;
  trickle.join();
  for (int fd : fds) close(fd);
  CHECK(timed_out == 50);
  // Their connections are free again.
  CHECK(Healthy(e));
  CHECK(e.Cli({"put"}, "after the trickle").exit_code == 0);
}

TEST_CASE("out of file descriptors the daemon refuses without spinning") {
  // Regression: with prlimit --nofile=64 and 100 idle clients the accept
  // loops spun at 50-90 % CPU and logged 1.3 M lines in 5 s.
#ifdef PASTEBIN_SANITIZED
  // UBSan checks that an object's vtable is readable through a pipe it
  // opens; out of descriptors on purpose, it cannot, and reports an
  // "invalid vptr" that is not there (seen in the TCP server's first
  // make_shared). Its suppressions cannot help: they are read at the first
  // report, with no descriptor left to read them.
  SkipTest("UBSan's vptr check needs file descriptors this test takes away");
#endif
  TempDir dir;
  Daemon d(dir / "data",
           {"--threads", "4", "--max-connections", "1000", "--tcp-listen", "127.0.0.1:0"});
  d.SetResourceLimit(RLIMIT_NOFILE, 64);
  d.Start();
  std::string log = d.log();
  size_t at = log.find("taking pastes over TCP on 127.0.0.1:");
  REQUIRE(at != std::string::npos);
  int tcp_port = std::stoi(log.substr(at + 36));
  std::vector<int> idle;
  for (int i = 0; i < 100; ++i) {
    int fd = ConnectTo(d.port());
    if (fd >= 0) idle.push_back(fd);
    int tcp = ConnectTo(tcp_port);
    if (tcp >= 0) idle.push_back(tcp);
  }
  double cpu_before = CpuSeconds(d.pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));  // what it does alone
  double cpu = CpuSeconds(d.pid()) - cpu_before;
  INFO(d.log());
  INFO("pid " << d.pid() << "\n" << ThreadCpuReport(d.pid()));
  CHECK(cpu < 0.5);
  // Those turned away heard why, at once: a 503, or the TCP error line.
  int refused = 0;
  for (int fd : idle) {
    char buf[512];
    ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
    if (n <= 0) continue;
    std::string got(buf, static_cast<size_t>(n));
    if (StatusOf(got) == 503 || got == "error: the server has too many connections; try again\n") {
      ++refused;
    }
  }
  CHECK(refused > 0);
  for (int fd : idle) close(fd);
  // Logged, but not once per attempt.
  log = d.log();
  size_t lines = 0;
  for (size_t p = 0; (p = log.find("out of file descriptors", p)) != std::string::npos; ++p) {
    ++lines;
  }
  CHECK(lines >= 1);
  CHECK(lines <= 3);
  CHECK_THAT(log, Catch::Contains("raise the limit (LimitNOFILE=, ulimit -n)"));
  // And it recovers once the idle clients are gone.
  REQUIRE(WaitUntil([&] {
    return StatusOf(RawExchange(d.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) == 200;
  }));
}

TEST_CASE("the default connection cap comes from the file descriptor limit") {
  TempDir dir;
  Daemon d(dir / "data", {"--threads", "8"});
  d.SetResourceLimit(RLIMIT_NOFILE, 300);
  d.Start();
  // 300 descriptors, minus 48 for the daemon and 3 for each of 8 workers.
  CHECK_THAT(d.log(), Catch::Contains("serving up to 228 connections (max_connections auto, "
                                      "from the file descriptor limit 300)"));
}

}  // namespace
}  // namespace pastebin::testing

namespace pastebin::testing {
namespace {

// Sends a request head and a body of `size` bytes on a fresh connection and
// returns the answer. Like a careful client it stops sending once the
// daemon answers early (a refusal), so the answer is not lost to a reset.
std::string Upload(int port, const std::string& head, size_t size) {
  int fd = ConnectTo(port, 30);
  if (fd < 0) return "";
  std::string chunk(256 << 10, 'a');
  bool sent = SendAll(fd, head);
  for (size_t left = size; sent && left > 0;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) == 1) break;  // answered before the body was done
    size_t n = std::min(left, chunk.size());
    sent = SendAll(fd, std::string_view(chunk).substr(0, n));
    left -= n;
  }
  std::string answer = ReadAll(fd);
  close(fd);
  return answer;
}

TEST_CASE("uploads draw on one memory budget, whatever their number") {
  // Regression: 20 clients each sending 60 MiB took 2 GiB before their
  // answers; 200 valid 10 MiB uploads 2.3 GiB.
  E2e e;
  SECTION("20 clients with 60 MiB bodies") {
    std::string head =
        "POST /api/v1/paste HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Connection: close\r\nContent-Length: " +
        std::to_string(60 * kMiB) + "\r\n\r\n";
    std::vector<std::thread> clients;
    std::atomic<int> busy{0}, answered{0};
    for (int i = 0; i < 20; ++i) {
      clients.emplace_back([&] {
        std::string answer = Upload(e.daemon.port(), head, 60 * kMiB);
        int status = StatusOf(answer);
        if (status > 0) answered++;
        if (status == 503 && HeaderOf(answer, "Retry-After") == "1") busy++;
      });
    }
    int64_t peak = WatchPeak(e.daemon.pid(), 1000);
    for (auto& t : clients) t.join();
    peak = std::max(peak, PeakRssBytes(e.daemon.pid()));
    CHECK(peak < kMemoryBound);
    CHECK(answered == 20);
    CHECK(busy >= 1);
  }
  SECTION("30 clients with valid 10 MiB pastes") {
    std::string head =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        "Connection: close\r\nContent-Length: " +
        std::to_string(10 * kMiB) + "\r\n\r\n";
    std::vector<std::thread> clients;
    std::atomic<int> created{0}, busy{0};
    for (int i = 0; i < 30; ++i) {
      clients.emplace_back([&] {
        std::string answer = Upload(e.daemon.port(), head, 10 * kMiB);
        if (StatusOf(answer) == 201) created++;
        if (StatusOf(answer) == 503) busy++;
      });
    }
    int64_t peak = WatchPeak(e.daemon.pid(), 1000);
    for (auto& t : clients) t.join();
    peak = std::max(peak, PeakRssBytes(e.daemon.pid()));
    CHECK(peak < kMemoryBound);
    CHECK(created >= 1);
    CHECK(created + busy == 30);
  }
  CHECK(Healthy(e));
}

TEST_CASE("an announced length reserves no memory, and running out ends a request, not pasted") {
#ifdef PASTEBIN_SANITIZED
  SkipTest("AddressSanitizer's shadow memory does not fit an address-space limit");
#endif
  // Regression: Content-Length was reserved up front, so 1,000 header-only
  // requests asked for 60 GB; under prlimit --as=2G pasted died of an
  // uncaught std::bad_alloc.
  TempDir dir;
  Daemon d(dir / "data", {"--threads", "8"});
  d.SetResourceLimit(RLIMIT_AS, 2048 * kMiB);
  d.Start();
  std::string head =
      "POST /api/v1/paste HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(60 * kMiB) + "\r\n\r\n";
  rlimit own{};
  getrlimit(RLIMIT_NOFILE, &own);
  own.rlim_cur = own.rlim_max;  // this test holds 1000 connections itself
  setrlimit(RLIMIT_NOFILE, &own);
  std::vector<int> fds;
  for (int i = 0; i < 1000; ++i) {
    int fd = ConnectTo(d.port());
    if (fd < 0) break;
    SendAll(fd, head + "{\"paste_contents\": \"");
    fds.push_back(fd);
  }
  REQUIRE(fds.size() == 1000);
  CHECK(PeakRssBytes(d.pid()) < kMemoryBound);
  for (int fd : fds) close(fd);
  REQUIRE(WaitUntil([&] {
    return StatusOf(RawExchange(d.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) == 200;
  }));
  // Still alive, still storing.
  auto created = RawExchange(d.port(),
                             "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                             "Content-Type: text/plain\r\n\r\nhello");
  CHECK(StatusOf(created) == 201);
}

TEST_CASE("a body in 1-byte chunks costs time linear in its size") {
  // Regression: 3 MiB in 1-byte chunks cost 12 s of CPU (each chunk was
  // erased from the front of the buffer), and /healthz took 1.1 s meanwhile.
  E2e e;
  int fd = ConnectTo(e.daemon.port(), 30);
  REQUIRE(fd >= 0);
  size_t size = 3 * kMiB;
  std::string wire =
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  wire.reserve(wire.size() + size * 6 + 5);
  for (size_t i = 0; i < size; ++i) wire += "1\r\nc\r\n";
  wire += "0\r\n\r\n";
  double cpu_before = CpuSeconds(e.daemon.pid());
  std::thread sender([&] { SendAll(fd, wire); });
  CHECK(Healthy(e));  // served while the upload goes on
  sender.join();
  std::string answer = ReadResponse(fd);
  close(fd);
  double cpu = CpuSeconds(e.daemon.pid()) - cpu_before;
  REQUIRE(StatusOf(answer) == 201);
  CHECK(cpu < 3.0);
  std::string url = BodyOf(answer);
  CHECK(e.Cli({"get", E2e::LinkOf(url)}).out == std::string(size, 'c'));
}

}  // namespace
}  // namespace pastebin::testing
