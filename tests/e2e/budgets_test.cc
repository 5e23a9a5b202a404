// Budgets cover what a request makes, not only what it sends: pages,
// parsed JSON, forms, pastes over TCP and answers waiting for slow readers
// each stay within a bound, read as peak resident memory from /proc (never
// timings). Each case is an attack that took pasted past a gigabyte.
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "tests/e2e/fixture.h"
#include "tests/support/raw_http.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

constexpr int64_t kMiB = 1 << 20;

std::string Post(E2e& e, const std::string& path, const std::string& body, const std::string& type,
                 int* status) {
  auto r = e.Http().Post(path, body, type);
  REQUIRE(r);
  *status = r->status;
  return r->body;
}

// Regression: the page of a 4 MiB paste of newlines was ~350 times the
// paste (a link per line): two GETs took pasted from 28 MiB to 1.4 GiB.
TEST_CASE("the page of a paste of newlines is a few times its size, made off the loop") {
  E2e e;
  int status = 0;
  std::string body = Post(e, "/", std::string(4 * kMiB, '\n'), "text/plain", &status);
  REQUIRE(status == 201);
  std::string link = E2e::LinkOf(body);
  std::atomic<bool> done{false};
  std::vector<size_t> sizes(2, 0);
  std::vector<std::thread> browsers;
  for (int i = 0; i < 2; ++i) {
    browsers.emplace_back([&, i] {
      auto r = e.Http().Get("/" + link, {{"Accept", "text/html"}});
      if (r && r->status == 200) sizes[i] = r->body.size();
    });
  }
  int64_t peak = WatchPeakRss(e.daemon.pid(), 1500);
  for (auto& t : browsers) t.join();
  CHECK(peak < kDaemonMemoryBound);
  for (size_t size : sizes) {
    CHECK(size > 4 * static_cast<size_t>(kMiB));
    CHECK(size < 6 * static_cast<size_t>(kMiB));  // text, 100k numbers, the page
  }
  auto page = e.Http().Get("/" + link, {{"Accept", "text/html"}});
  REQUIRE(page);
  // Anchors to 1,000, numbers to 100,000, in blocks of 500 lines.
  CHECK(page->body.find("<span id=\"L1000\">1000</span>\n</span><span class=\"c\">1001\n") !=
        std::string::npos);
  CHECK(page->body.find("\n100000\n</span></pre>") != std::string::npos);
  CHECK(page->body.find("\n100001\n") == std::string::npos);
}

// Regression: a 24 MiB body of "{}," took pasted to 935 MiB.
TEST_CASE("a JSON body full of values is refused without building it") {
  E2e e;
  std::string junk = R"({"paste_contents": "x", "junk": [)";
  while (junk.size() < 24 * static_cast<size_t>(kMiB)) junk += "{},";
  junk += "{}]}";
  int status = 0;
  std::thread client([&] { Post(e, "/api/v1/paste", junk, "application/json", &status); });
  int64_t peak = WatchPeakRss(e.daemon.pid(), 2000);
  client.join();
  CHECK(status == 400);
  CHECK(peak < kDaemonMemoryBound);
  CHECK(e.StoredBodies() == 0);
}

// Regression: a 16 MiB form of "=&" made a heap object a field: 1.57 GB.
TEST_CASE("a form of empty fields is refused past the field cap") {
  E2e e;
  std::string form;
  while (form.size() < 16 * static_cast<size_t>(kMiB)) form += "=&";
  int status = 0;
  std::string body;
  std::thread client(
      [&] { body = Post(e, "/form", form, "application/x-www-form-urlencoded", &status); });
  int64_t peak = WatchPeakRss(e.daemon.pid(), 2000);
  client.join();
  CHECK(status == 400);
  CHECK(body ==
        "error: a form has at most 1000 fields; a paste needs only its content (and expire, "
        "lang, burn)\n");
  CHECK(peak < kDaemonMemoryBound);
}

// Regression: the nc port had no memory budget: 48 clients held 501 MiB.
TEST_CASE("pastes over TCP draw on the upload budget") {
  E2e e({"--tcp-listen", "127.0.0.1:0", "--max-upload-memory", "32M"});
  std::smatch m;
  std::string log = e.daemon.log();
  REQUIRE(std::regex_search(log, m, std::regex(R"(taking pastes over TCP on 127\.0\.0\.1:(\d+))")));
  int port = std::stoi(m[1]);
  std::vector<int> clients;
  std::string chunk(kMiB, 'x');
  for (int i = 0; i < 48; ++i) {
    int fd = ConnectTo(port);
    REQUIRE(fd >= 0);
    clients.push_back(fd);
  }
  // Each sends almost 10 MiB and holds the connection open.
  std::thread senders([&] {
    for (int round = 0; round < 9; ++round) {
      for (int fd : clients) send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    }
  });
  int64_t peak = WatchPeakRss(e.daemon.pid(), 3000);
  senders.join();
  CHECK(peak < kDaemonMemoryBound);
  int refused = 0;
  for (int fd : clients) {
    shutdown(fd, SHUT_WR);
    std::string line = ReadAll(fd);
    if (line.find("too many pastes at once") != std::string::npos) refused++;
    close(fd);
  }
  CHECK(refused > 0);
  CHECK(e.Http().Get("/healthz")->status == 200);
}

// Regression: eight sockets that asked for a 10 MiB paste and never read
// held max_output_memory, so every read of a large paste answered 503.
TEST_CASE("readers that never read hold no one else's large answers") {
  E2e e({"--request-timeout", "1", "--min-download-rate", "64K"});
  int status = 0;
  std::string big(10 * kMiB - 1, 'b');
  big += '\n';
  std::string link = E2e::LinkOf(Post(e, "/", big, "text/plain", &status));
  REQUIRE(status == 201);
  std::vector<int> idle;
  for (int i = 0; i < 8; ++i) {
    int fd = ConnectTo(e.daemon.port(), 5, /*receive_buffer=*/4096);
    REQUIRE(fd >= 0);
    REQUIRE(SendAll(fd, "GET /" + link + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    idle.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int64_t peak = 0;
  for (int i = 0; i < 5; ++i) {
    auto r = e.Http().Get("/" + link);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.size() == big.size());
    peak = std::max(peak, PeakRssBytes(e.daemon.pid()));
  }
  CHECK(peak < kDaemonMemoryBound);
  // And they lose their place: under min_download_rate once
  // request_timeout has passed, they are disconnected (long before the
  // 10 MiB could have been taken).
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  for (int fd : idle) {
    std::string got = ReadAll(fd);  // a 5 s receive timeout
    CHECK(got.size() < big.size());
    close(fd);
  }
  CHECK(e.Http().Get("/healthz")->status == 200);
}

}  // namespace
}  // namespace pastebin::testing
