#include "daemon/http_message.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

using State = RequestParser::State;

// Feeds input at once (or byte by byte) and returns the final state.
State ParseAll(RequestParser& p, std::string input, bool bytewise = false) {
  std::string buffer;
  State s = State::kNeedMore;
  if (!bytewise) {
    buffer = std::move(input);
    do {
      s = p.Parse(&buffer);
    } while (s == State::kContinue);
    return s;
  }
  for (char c : input) {
    buffer.push_back(c);
    s = p.Parse(&buffer);
    if (s == State::kDone || s == State::kError) return s;
  }
  return s;
}

TEST_CASE("a GET request parses with path, query and headers") {
  RequestParser p{HttpLimits()};
  REQUIRE(ParseAll(p, "GET /Ab3d%45%39x?raw&x=a+b%21 HTTP/1.1\r\nHost: h\r\n"
                      "User-Agent: t\r\n\r\n") == State::kDone);
  HttpRequest r = p.TakeRequest();
  CHECK(r.method == "GET");
  CHECK(r.target == "/Ab3d%45%39x?raw&x=a+b%21");
  CHECK(r.path == "/Ab3dE9x");
  CHECK(r.HasParam("raw"));
  CHECK(r.Param("x") == "a b!");
  CHECK_FALSE(r.HasParam("y"));
  CHECK(r.Header("host") == "h");
  CHECK(r.Header("USER-AGENT") == "t");
  CHECK(r.keep_alive);
}

TEST_CASE("a request arriving byte by byte parses the same") {
  RequestParser p{HttpLimits()};
  REQUIRE(ParseAll(p, "POST /api/v1/paste HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
                   true) == State::kDone);
  HttpRequest r = p.TakeRequest();
  CHECK(r.body == "hello");
}

TEST_CASE("pipelined requests are taken one at a time") {
  RequestParser p{HttpLimits()};
  std::string buffer =
      "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nokGET /c HTTP/1.1\r\n\r\n";
  REQUIRE(p.Parse(&buffer) == State::kDone);
  CHECK(p.TakeRequest().path == "/a");
  p.Reset();
  REQUIRE(p.Parse(&buffer) == State::kDone);
  HttpRequest b = p.TakeRequest();
  CHECK(b.path == "/b");
  CHECK(b.body == "ok");
  p.Reset();
  REQUIRE(p.Parse(&buffer) == State::kDone);
  CHECK(p.TakeRequest().path == "/c");
  CHECK(buffer.empty());
}

TEST_CASE("chunked bodies are decoded") {
  RequestParser p{HttpLimits()};
  REQUIRE(ParseAll(p, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n",
                   true) == State::kDone);
  CHECK(p.TakeRequest().body == "hello, world");
}

TEST_CASE("Expect: 100-continue pauses before the body") {
  RequestParser p{HttpLimits()};
  std::string buffer = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  CHECK(p.Parse(&buffer) == State::kContinue);
  CHECK(p.Parse(&buffer) == State::kNeedMore);
  buffer = "abc";
  CHECK(p.Parse(&buffer) == State::kDone);
  CHECK(p.TakeRequest().body == "abc");
}

TEST_CASE("HTTP/1.0 keeps alive only when asked, 1.1 unless told") {
  RequestParser p{HttpLimits()};
  ParseAll(p, "GET / HTTP/1.0\r\n\r\n");
  CHECK_FALSE(p.TakeRequest().keep_alive);
  p.Reset();
  ParseAll(p, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  CHECK(p.TakeRequest().keep_alive);
  p.Reset();
  ParseAll(p, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  CHECK_FALSE(p.TakeRequest().keep_alive);
}

TEST_CASE("malformed and oversized requests get the right status") {
  HttpLimits limits;
  limits.max_body = 100;
  struct Case {
    std::string input;
    int status;
  };
  const Case kCases[] = {
      {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", 414},
      {"GET /" + std::string(9000, 'a'), 414},
      {"GET / HTTP/1.1\r\nX: " + std::string(17000, 'a') + "\r\n\r\n", 431},
      {"GET / HTTP/1.1\r\nX: " + std::string(17000, 'a'), 431},
      {"POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n", 413},
      {"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"GET / HTTP/2.0\r\n\r\n", 505},
      {"PRI * HTTP/2.0\r\n\r\n", 505},
      {"GET /\r\n\r\n", 400},
      {"GET  / HTTP/1.1\r\n\r\n", 400},
      {"G@T / HTTP/1.1\r\n\r\n", 400},
      {"GET noslash HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n: novalue\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", 400},
      {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15),
       400},  // a TLS hello on the plain port
  };
  for (const auto& c : kCases) {
    INFO(c.input.substr(0, 80));
    RequestParser p{limits};
    CHECK(ParseAll(p, c.input) == State::kError);
    CHECK(p.error_status() == c.status);
    CHECK_FALSE(p.error_message().empty());
  }
}

TEST_CASE("too many headers are refused") {
  std::string req = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) req += "X-" + std::to_string(i) + ": v\r\n";
  RequestParser p{HttpLimits()};
  CHECK(ParseAll(p, req + "\r\n") == State::kError);
  CHECK(p.error_status() == 431);
}

TEST_CASE("absolute-form targets keep their path") {
  RequestParser p{HttpLimits()};
  REQUIRE(ParseAll(p, "GET http://example.org/Ab3dE9x?raw HTTP/1.1\r\n\r\n") == State::kDone);
  HttpRequest r = p.TakeRequest();
  CHECK(r.path == "/Ab3dE9x");
  CHECK(r.query == "raw");
}

TEST_CASE("responses serialize with length, connection and date") {
  HttpResponse res;
  res.status = 404;
  res.SetContent("{}", "application/json");
  std::string date = "Sat, 28 Nov 2026 08:00:00 GMT";
  CHECK(SerializeResponse(res, true, false, date) ==
        "HTTP/1.1 404 Not Found\r\nDate: Sat, 28 Nov 2026 08:00:00 GMT\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\n"
        "Connection: keep-alive\r\n\r\n{}");
  CHECK(SerializeResponse(res, false, true, date) ==
        "HTTP/1.1 404 Not Found\r\nDate: Sat, 28 Nov 2026 08:00:00 GMT\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\n"
        "Connection: close\r\n\r\n");
  HttpResponse none;
  none.status = 204;
  CHECK(SerializeResponse(none, true, false, date) ==
        "HTTP/1.1 204 No Content\r\nDate: Sat, 28 Nov 2026 08:00:00 GMT\r\n"
        "Connection: keep-alive\r\n\r\n");
}

}  // namespace
}  // namespace pastebin
