// How a real pasted reads its connections and sends its answers: a
// round's reads and answers with one system call through io_uring
// (daemon/http/socket_ring.h), and, with PASTED_IO_URING=off, one call at
// a time as where a kernel or sandbox forbids io_uring. Both ways must give
// every client its answers whole and in order.
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

std::map<std::string, std::string> Environment(bool io_uring) {
  if (io_uring) return {};
  return {{"PASTED_IO_URING", "off"}};
}

void ServesEveryAnswerInOrder(bool io_uring) {
  E2e e({}, Environment(io_uring));
  // A small answer is one buffer; a large cached one (over 16 KiB) goes out
  // from the cache after its head. One client's pipelined answers, a round
  // at a time (at most 64 KiB unsent, HttpServerOptions), go out in order.
  // A lone connection's answers take a send(2) of their own: the 16
  // clients below are what meets the batched sends.
  std::string small = "a small paste\n", large = Noise(40 * 1024, 7);
  std::string small_link = e.CreatePaste(small), large_link = e.CreatePaste(large);
  REQUIRE(e.Http().Get("/raw/" + large_link)->body == large);  // cached now
  int fd = ConnectTo(e.daemon.port());
  REQUIRE(fd >= 0);
  std::string requests;
  std::vector<std::string> expected;
  for (int i = 0; i < 12; ++i) {
    bool big = i % 3 != 0;
    requests += "GET /raw/" + (big ? large_link : small_link) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    expected.push_back(big ? large : small);
  }
  REQUIRE(SendAll(fd, requests));
  for (size_t i = 0; i < expected.size(); ++i) {
    std::string answer = ReadResponse(fd);
    INFO("answer " << i);
    REQUIRE(StatusOf(answer) == 200);
    CHECK(BodyOf(answer) == expected[i]);
  }
  // The connection stays open for more.
  REQUIRE(SendAll(fd, "GET /raw/" + small_link + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(BodyOf(ReadResponse(fd)) == small);
  close(fd);

  // Connection: close is answered, then closed.
  std::string closing =
      RawExchange(e.daemon.port(),
                  "GET /raw/" + large_link + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(StatusOf(closing) == 200);
  CHECK(BodyOf(closing) == large);
  // A refusal reaches its client even with request bytes left unread.
  std::string refused = RawExchange(
      e.daemon.port(), "GET /raw/" + small_link + " HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n" +
                           std::string(100 * 1024, 'x'));
  CHECK(StatusOf(refused) == 400);

  // A body larger than one read at once, in one write.
  std::string body = Noise(200 * 1024, 9);
  std::string json_body = json{{"paste_contents", body}}.dump();
  std::string post =
      "POST /api/v1/paste HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(json_body.size()) + "\r\nConnection: close\r\n\r\n" + json_body;
  std::string created = RawExchange(e.daemon.port(), post);
  REQUIRE(StatusOf(created) == 201);
  std::string link = json::parse(BodyOf(created))["shortlink"];
  CHECK(e.Cli({"get", link}).out == body);

  // Many clients at once, each with several answers pipelined: a round's
  // answers go out together, and a full socket takes what it can.
  std::string half = Noise(512 * 1024, 11);
  std::string half_link = e.CreatePaste(half);
  REQUIRE(e.Http().Get("/raw/" + half_link)->body == half);  // cached now
  std::vector<std::thread> clients;
  std::atomic<int> whole{0};
  for (int k = 0; k < 16; ++k) {
    clients.emplace_back([&] {
      int c = ConnectTo(e.daemon.port(), 30);
      if (c < 0) return;
      std::string ask;
      for (int i = 0; i < 6; ++i) {
        ask += "GET /raw/" + (i % 2 ? half_link : small_link) + " HTTP/1.1\r\nHost: x\r\n\r\n";
      }
      bool ok = SendAll(c, ask);
      for (int i = 0; ok && i < 6; ++i) {
        std::string answer = ReadResponse(c);
        ok = StatusOf(answer) == 200 && BodyOf(answer) == (i % 2 ? half : small);
      }
      close(c);
      if (ok) whole++;
    });
  }
  for (auto& t : clients) t.join();
  CHECK(whole == 16);

  if (!io_uring) {
    CHECK_THAT(e.daemon.log(),
               Catch::Contains("connections are read and answered one system call at a time: "
                               "io_uring is off (PASTED_IO_URING=off)"));
  }
}

TEST_CASE("answers go out whole and in order, a round's at once through io_uring") {
  ServesEveryAnswerInOrder(true);
}

TEST_CASE("answers go out whole and in order with io_uring off") {
  ServesEveryAnswerInOrder(false);
}

}  // namespace
}  // namespace pastebin::testing
