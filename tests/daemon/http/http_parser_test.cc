#include "daemon/http/http_parser.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

using State = RequestParser::State;

// Feeds input at once (or byte by byte), as the server does: consumed bytes
// are dropped, kHead, kContinue and kDone-less states parse on. Returns the
// final state.
State ParseAll(RequestParser& p, const std::string& input, bool bytewise = false) {
  std::string buffer;
  State s = State::kNeedMore;
  size_t step = bytewise ? 1 : input.size();
  for (size_t fed = 0; fed < input.size(); fed += step) {
    buffer.append(input, fed, step);
    do {
      size_t used = 0;
      s = p.Parse(buffer, &used);
      buffer.erase(0, used);
    } while (s == State::kHead || s == State::kContinue);
    if (s == State::kDone || s == State::kError) break;
  }
  return s;
}

TEST_CASE("a GET request parses with path, query, headers and authority") {
  RequestParser p{HttpLimits()};
  REQUIRE(ParseAll(p,
                   "GET /Ab3d%45%39x?raw&x=a+b%21 HTTP/1.1\r\nHost: h:8077\r\n"
                   "User-Agent: t\r\n\r\n") == State::kDone);
  HttpRequest r = p.TakeRequest();
  CHECK(r.method == "GET");
  CHECK(r.target == "/Ab3d%45%39x?raw&x=a+b%21");
  CHECK(r.path == "/Ab3dE9x");
  CHECK(r.HasParam("raw"));
  CHECK(r.Param("x") == "a b!");
  CHECK_FALSE(r.HasParam("y"));
  CHECK(r.Header("host") == "h:8077");
  CHECK(r.authority == "h:8077");
  CHECK(r.Header("USER-AGENT") == "t");
  CHECK(r.keep_alive);
}

TEST_CASE("a request arriving byte by byte parses the same") {
  RequestParser p{HttpLimits()};
  REQUIRE(ParseAll(p, "POST /api/v1/paste HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
                   true) == State::kDone);
  CHECK(p.TakeRequest().body == "hello");
}

TEST_CASE("the head of a request with a body comes first, with its length") {
  RequestParser p{HttpLimits()};
  std::string in = "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhel";
  size_t used = 0;
  REQUIRE(p.Parse(in, &used) == State::kHead);
  CHECK(p.request().path == "/x");
  REQUIRE(p.content_length());
  CHECK(*p.content_length() == 5);
  in.erase(0, used);
  CHECK(p.Parse(in, &used) == State::kNeedMore);
  // Nothing is reserved for what was only announced.
  CHECK(p.request().body == "hel");
  CHECK(p.request().body.capacity() <= 15);
}

TEST_CASE("a body over the limit set for its route is refused before it arrives") {
  RequestParser p{HttpLimits()};
  std::string in = "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n";
  size_t used = 0;
  REQUIRE(p.Parse(in, &used) == State::kHead);
  p.SetBodyLimit(10);
  in.erase(0, used);
  CHECK(p.Parse(in, &used) == State::kError);
  CHECK(p.error_status() == 413);

  RequestParser chunked{HttpLimits()};
  in = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  REQUIRE(chunked.Parse(in, &used) == State::kHead);
  CHECK_FALSE(chunked.content_length());
  chunked.SetBodyLimit(10);
  in = "6\r\nabcdef\r\n5\r\n";
  CHECK(chunked.Parse(in, &used) == State::kError);
  CHECK(chunked.error_status() == 413);
}

TEST_CASE("pipelined requests are taken one at a time") {
  RequestParser p{HttpLimits()};
  std::string buffer =
      "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n"
      "okGET /c HTTP/1.1\r\nHost: h\r\n\r\n";
  size_t used = 0;
  REQUIRE(p.Parse(buffer, &used) == State::kDone);
  buffer.erase(0, used);
  CHECK(p.TakeRequest().path == "/a");
  p.Reset();
  REQUIRE(p.Parse(buffer, &used) == State::kHead);
  buffer.erase(0, used);
  REQUIRE(p.Parse(buffer, &used) == State::kDone);
  buffer.erase(0, used);
  HttpRequest b = p.TakeRequest();
  CHECK(b.path == "/b");
  CHECK(b.body == "ok");
  p.Reset();
  REQUIRE(p.Parse(buffer, &used) == State::kDone);
  buffer.erase(0, used);
  CHECK(p.TakeRequest().path == "/c");
  CHECK(buffer.empty());
}

TEST_CASE("chunked bodies are decoded, with extensions and trailers") {
  for (bool bytewise : {false, true}) {
    RequestParser p{HttpLimits()};
    REQUIRE(ParseAll(p,
                     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5;ext=1\r\nhello\r\n007;a=\"q\\\"t\";b\r\n, world\r\n0\r\n"
                     "Trailer: x\r\n\r\n",
                     bytewise) == State::kDone);
    CHECK(p.TakeRequest().body == "hello, world");
  }
}

TEST_CASE("Expect: 100-continue pauses before the body, in HTTP/1.1 only") {
  RequestParser p{HttpLimits()};
  std::string buffer =
      "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  size_t used = 0;
  CHECK(p.Parse(buffer, &used) == State::kHead);
  buffer.erase(0, used);
  CHECK(p.Parse(buffer, &used) == State::kContinue);
  CHECK(p.Parse(buffer, &used) == State::kNeedMore);
  buffer = "abc";
  CHECK(p.Parse(buffer, &used) == State::kDone);
  CHECK(p.TakeRequest().body == "abc");

  // An HTTP/1.0 client never waits for 100 Continue: none is due.
  RequestParser old{HttpLimits()};
  buffer = "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  CHECK(old.Parse(buffer, &used) == State::kHead);
  buffer.erase(0, used);
  CHECK(old.Parse(buffer, &used) == State::kNeedMore);
}

TEST_CASE("HTTP/1.0 keeps alive only when asked, 1.1 unless told") {
  RequestParser p{HttpLimits()};
  ParseAll(p, "GET / HTTP/1.0\r\n\r\n");
  CHECK_FALSE(p.TakeRequest().keep_alive);
  p.Reset();
  ParseAll(p, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  CHECK(p.TakeRequest().keep_alive);
  p.Reset();
  ParseAll(p, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  CHECK_FALSE(p.TakeRequest().keep_alive);
  p.Reset();
  // Every Connection field counts, not only the first.
  ParseAll(p, "GET / HTTP/1.1\r\nHost: h\r\nConnection: x\r\nConnection: y, close\r\n\r\n");
  CHECK_FALSE(p.TakeRequest().keep_alive);
}

TEST_CASE("a head ended by LF CR LF is complete at once") {
  // Regression: "Connection: close\n\r\n" hung until the 408.
  RequestParser p{HttpLimits()};
  CHECK(ParseAll(p, "GET / HTTP/1.1\nHost: h\nConnection: close\n\r\n") == State::kDone);
  CHECK_FALSE(p.TakeRequest().keep_alive);
}

TEST_CASE("an absolute-form target's host wins over the Host header") {
  RequestParser p{HttpLimits()};
  REQUIRE(ParseAll(p, "POST http://good.example/?x=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n") ==
          State::kDone);
  HttpRequest r = p.TakeRequest();
  CHECK(r.path == "/");
  CHECK(r.query == "x=1");
  CHECK(r.authority == "good.example");

  RequestParser q{HttpLimits()};
  REQUIRE(ParseAll(q, "GET HTTPS://[::1]:8443/Ab3dE9x?raw HTTP/1.1\r\nHost: h\r\n\r\n") ==
          State::kDone);
  r = q.TakeRequest();
  CHECK(r.path == "/Ab3dE9x");
  CHECK(r.query == "raw");
  CHECK(r.authority == "[::1]:8443");
}

TEST_CASE("an HTTP/1.0 request may come without Host") {
  RequestParser p{HttpLimits()};
  REQUIRE(ParseAll(p, "GET /x HTTP/1.0\r\n\r\n") == State::kDone);
  CHECK(p.TakeRequest().authority.empty());
}

TEST_CASE("malformed and oversized requests get the status the RFCs ask for") {
  HttpLimits limits;
  limits.max_body = 100;
  struct Case {
    const char* why;
    std::string input;
    int status;
  };
  std::string post = "POST / HTTP/1.1\r\nHost: h\r\n";
  const Case kCases[] = {
      {"long target", "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", 414},
      {"long target, unfinished", "GET /" + std::string(9000, 'a'), 414},
      {"long header", "GET / HTTP/1.1\r\nX: " + std::string(17000, 'a') + "\r\n\r\n", 431},
      {"long header, unfinished", "GET / HTTP/1.1\r\nX: " + std::string(17000, 'a'), 431},
      {"body over the limit", post + "Content-Length: 101\r\n\r\n", 413},
      {"chunk over the limit", post + "Transfer-Encoding: chunked\r\n\r\n65\r\n", 413},
      {"CL and TE", post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"two lengths", post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n", 400},
      {"two equal lengths", post + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400},
      {"length list", post + "Content-Length: 3, 3\r\n\r\nabc", 400},
      {"negative length", post + "Content-Length: -1\r\n\r\n", 400},
      {"float length", post + "Content-Length: 1e3\r\n\r\n", 400},
      // Transfer-Encoding: all fields are one list; chunked once and last.
      {"only gzip", post + "Transfer-Encoding: gzip\r\n\r\n", 400},
      {"gzip then chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"chunked then a gzip field",
       post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
      {"chunked twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400},
      {"chunked in two fields",
       post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"empty coding list", post + "Transfer-Encoding: ,\r\n\r\n", 400},
      {"TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"chunk size then junk", post + "Transfer-Encoding: chunked\r\n\r\n5 x\r\n", 400},
      {"space after the chunk size", post + "Transfer-Encoding: chunked\r\n\r\n5 \r\n", 400},
      {"space in an extension", post + "Transfer-Encoding: chunked\r\n\r\n5; a=b\r\n", 400},
      {"empty chunk extension", post + "Transfer-Encoding: chunked\r\n\r\n5;\r\n", 400},
      {"chunk extension without a name", post + "Transfer-Encoding: chunked\r\n\r\n5;=x\r\n", 400},
      {"unterminated quoted extension", post + "Transfer-Encoding: chunked\r\n\r\n5;a=\"x\r\n",
       400},
      {"huge chunk size", post + "Transfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", 400},
      {"chunk without CRLF", post + "Transfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", 400},
      // Framing is strict: a bare LF inside a chunked body is refused.
      {"chunk data ended by LF", post + "Transfer-Encoding: chunked\r\n\r\n1\r\na\n0\r\n\r\n", 400},
      {"chunk size ended by LF", post + "Transfer-Encoding: chunked\r\n\r\n1\na\r\n0\r\n\r\n", 400},
      {"framing field in a trailer",
       post + "Transfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n", 400},
      {"trailer ended by LF", post + "Transfer-Encoding: chunked\r\n\r\n0\r\nT: x\n\r\n", 400},
      {"malformed Connection", "GET / HTTP/1.1\r\nHost: h\r\nConnection: k\xe4\r\n\r\n", 400},
      // Host: one, valid, required in 1.1.
      {"no Host", "GET / HTTP/1.1\r\n\r\n", 400},
      {"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
      {"Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400},
      {"Host with a bad port", "GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n", 400},
      {"Host with a bad v6", "GET / HTTP/1.1\r\nHost: [::g]\r\n\r\n", 400},
      {"absolute form with userinfo", "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"absolute form without host", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      // Control bytes in a field value or the target.
      {"NUL in a value", std::string("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n", 35), 400},
      {"bare CR in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400},
      {"ESC in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x1b[31m\r\n\r\n", 400},
      {"DEL in a value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 400},
      {"control byte in the target", "GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      {"non-ASCII target", "GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      {"tab in the target", "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      {"space before the colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400},
      {"HTTP/2", "GET / HTTP/2.0\r\n\r\n", 505},
      {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\n", 505},
      {"HTTP/1.2", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", 505},
      {"no version", "GET /\r\n\r\n", 400},
      {"two spaces", "GET  / HTTP/1.1\r\n\r\n", 400},
      {"bad method", "G@T / HTTP/1.1\r\n\r\n", 400},
      {"relative target", "GET noslash HTTP/1.1\r\n\r\n", 400},
      {"space in a name", "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400},
      {"no name", "GET / HTTP/1.1\r\n: novalue\r\n\r\n", 400},
      {"folded line", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n", 400},
      {"endless empty lines", std::string(100, '\n'), 400},
      {"TLS hello on the plain port",
       std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15), 400},
  };
  for (const auto& c : kCases) {
    for (bool bytewise : {false, true}) {
      INFO(c.why << (bytewise ? " (byte by byte)" : ""));
      RequestParser p{limits};
      CHECK(ParseAll(p, c.input, bytewise) == State::kError);
      CHECK(p.error_status() == c.status);
      CHECK_FALSE(p.error_message().empty());
    }
  }
}

TEST_CASE("too many headers or trailers are refused") {
  std::string fields;
  for (int i = 0; i < 101; ++i) fields += "X-" + std::to_string(i) + ": v\r\n";
  RequestParser p{HttpLimits()};
  CHECK(ParseAll(p, "GET / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n") == State::kError);
  CHECK(p.error_status() == 431);
  // Regression: 20,000 trailer lines were accepted.
  RequestParser t{HttpLimits()};
  CHECK(ParseAll(t,
                 "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "1\r\na\r\n0\r\n" +
                     fields + "\r\n") == State::kError);
  CHECK(t.error_status() == 431);
  RequestParser big{HttpLimits()};
  CHECK(ParseAll(big,
                 "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "0\r\nT: " +
                     std::string(17000, 'a') + "\r\n\r\n") == State::kError);
  CHECK(big.error_status() == 431);
}

TEST_CASE("a chunk-size line's limit holds however its bytes arrive") {
  std::string request = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;" +
                        std::string(5000, 'x') + "\r\na\r\n0\r\n\r\n";
  for (bool bytewise : {false, true}) {
    RequestParser p{HttpLimits()};
    CHECK(ParseAll(p, request, bytewise) == State::kError);
    CHECK(p.error_status() == 400);
  }
}

TEST_CASE("valid authorities") {
  for (const char* ok : {"a", "a:1", "a:", "example.org:8077", "127.0.0.1", "[::1]", "[::1]:80",
                         "xn--bcher-kva.example", "a%41b", "under_score"}) {
    INFO(ok);
    CHECK(IsValidAuthority(ok, false));
  }
  for (const char* bad :
       {"", "a b", "a/b", "a@b", "[::1", "[::1]x", "a:b", "a:123456", "[zz]", "a%4", "a\"b"}) {
    INFO(bad);
    CHECK_FALSE(IsValidAuthority(bad, false));
  }
  CHECK(IsValidAuthority("", true));
}

}  // namespace
}  // namespace pastebin
