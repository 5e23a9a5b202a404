#include "daemon/front/front_desk.h"

#include <catch2/catch.hpp>

#include "tests/daemon/harness/desk_harness.h"

namespace pastebin {
namespace {

using testing::DeskHarness;
using testing::DeskOptions;
using testing::HeaderOf;

TEST_CASE("a request is matched against the route table once") {
  DeskHarness h;
  std::string link = h.Put("hello");
  struct Case {
    const char* what;
    HttpRequest req;
  };
  std::vector<Case> cases = {
      {"a cached read on the loop", DeskHarness::Request("GET", "/" + link)},
      {"a read that misses the cache: loop, then reader",
       DeskHarness::Request("GET", "/raw/" + link)},
      {"a create deferred to the group commit",
       DeskHarness::Request("POST", "/api/v1/paste", {}, R"({"paste_contents":"x"})")},
      {"an upload on a worker", DeskHarness::Request("POST", "/", {}, "raw bytes")},
      {"no such route", DeskHarness::Request("GET", "/a/b/c")},
      {"a method the path does not take", DeskHarness::Request("PUT", "/api/v1/paste")},
  };
  h.pastes.Forget(link);  // the second read misses
  for (Case& c : cases) {
    INFO(c.what);
    uint64_t before = h.desk.router().matches();
    HttpResponse res = h.Serve(std::move(c.req));
    CHECK(res.status < 500);
    CHECK(h.desk.router().matches() - before == 1);
  }
}

TEST_CASE("unknown paths get 404 and known paths 405 with Allow") {
  DeskHarness h;
  HttpResponse none = h.Serve(DeskHarness::Request("GET", "/a/b/c"));
  CHECK(none.status == 404);
  CHECK(
      none.body ==
      R"x({"error":{"code":"not_found","message":"no such route: GET /a/b/c (see pasted(8) for the API)"}})x");
  HttpResponse put = h.Serve(DeskHarness::Request("PUT", "/api/v1/paste"));
  CHECK(put.status == 405);
  CHECK(HeaderOf(put, "Allow") == "POST, GET, HEAD, DELETE");
}

TEST_CASE("the write gate refuses in the route's dialect, with Retry-After") {
  DeskOptions o;
  o.rate_limit = 1;
  o.rate_limit_burst = 1;
  struct Case {
    const char* method;
    const char* target;
    const char* body;
    const char* type;
    const char* expected;
  };
  const Case kCases[] = {
      {"POST", "/api/v1/paste", R"({"paste_contents":"x"})", "application/json",
       R"({"error":{"code":"rate_limited","message":"too many pastes from 192.0.2.1; try again in 60 seconds"}})"},
      {"POST", "/", "x", "text/plain; charset=utf-8",
       "error: too many pastes from 192.0.2.1; try again in 60 seconds\n"},
      {"POST", "/documents", "x", "application/json",
       R"({"message":"too many pastes from 192.0.2.1; try again in 60 seconds"})"},
  };
  for (const Case& c : kCases) {
    INFO(c.target);
    DeskHarness h(o);
    CHECK(h.Serve(DeskHarness::Request(c.method, c.target, {}, c.body)).status < 300);
    HttpResponse refused = h.Serve(DeskHarness::Request(c.method, c.target, {}, c.body));
    CHECK(refused.status == 429);
    CHECK(HeaderOf(refused, "Retry-After") == "60");
    CHECK(HeaderOf(refused, "Content-Type") == c.type);
    CHECK(refused.body == c.expected);
  }
}

TEST_CASE("a create handled again on a worker takes one token, not two") {
  DeskOptions o;
  o.rate_limit = 1;
  o.rate_limit_burst = 1;
  DeskHarness h(o);
  // The server runs a request a second time when the first run (on the
  // loop) asked for a worker: the same request, gated once.
  HttpRequest req = DeskHarness::Request("POST", "/", {}, "once");
  h.desk.Admit(req);
  HttpResponse first, second;
  h.desk.Handle(req, first);
  h.desk.Handle(req, second);
  CHECK(first.status == 201);
  CHECK(second.status == 201);
  CHECK(h.Serve(DeskHarness::Request("POST", "/", {}, "another")).status == 429);
}

TEST_CASE("the client is worked out once, behind trusted proxies too") {
  DeskOptions o;
  o.trusted_proxies = "192.0.2.1";
  o.rate_limit = 1;
  DeskHarness h(o);
  auto req = DeskHarness::Request("POST", "/", {{"X-Forwarded-For", "203.0.113.9"}}, "x");
  CHECK(h.Serve(req).status == 201);
  HttpResponse refused = h.Serve(req);
  CHECK(refused.body == "error: too many pastes from 203.0.113.9; try again in 60 seconds\n");
  CHECK(h.AccessLogText().find("203.0.113.9 - - [") != std::string::npos);
}

TEST_CASE("a refusal of a request's head is logged under its peer") {
  DeskHarness h;
  HttpRequest partial;  // nothing parsed yet
  partial.remote_addr = "198.51.100.4";
  HttpResponse res;
  h.desk.Refuse(partial, 400, "bad request line", res);
  h.desk.Answered(partial, res);
  CHECK(res.status == 400);
  CHECK(h.AccessLogText().find("198.51.100.4 - - [") != std::string::npos);
}

// Regression: one client could guess ~22k links a second, with no limit on
// misses (an unlisted paste among 1 M found every ~3 minutes).
TEST_CASE("a client past its misses is refused lookups until the allowance refills") {
  DeskOptions o;
  o.miss_limit = 60;  // one a second
  o.miss_limit_burst = 3;
  DeskHarness h(o);
  std::string real = h.Put("found");
  for (const char* guess : {"/Guess01", "/raw/Guess02", "/api/v1/paste?shortlink=Guess03"}) {
    CHECK(h.Serve(DeskHarness::Request("GET", guess)).status == 404);
  }
  // Past the misses, every lookup waits, found or not; in its route's form.
  HttpResponse refused = h.Serve(DeskHarness::Request("GET", "/" + real));
  CHECK(refused.status == 429);
  CHECK(HeaderOf(refused, "Retry-After") == "1");
  CHECK(
      refused.body ==
      R"({"error":{"code":"rate_limited","message":"too many lookups of pastes that do not exist from 192.0.2.1; try again in 1 second"}})");
  HttpResponse haste = h.Serve(DeskHarness::Request("GET", "/documents/" + real));
  CHECK(
      haste.body ==
      R"({"message":"too many lookups of pastes that do not exist from 192.0.2.1; try again in 1 second"})");
  // Making pastes is another allowance.
  CHECK(h.Serve(DeskHarness::Request("POST", "/", {}, "new")).status == 201);
  // Another client is not held up; found pastes cost nothing.
  auto other = DeskHarness::Request("GET", "/" + real);
  other.remote_addr = "192.0.2.2";
  for (int i = 0; i < 10; ++i) CHECK(h.Serve(other).status == 200);
  h.clock.Advance(1);
  CHECK(h.Serve(DeskHarness::Request("GET", "/" + real)).status == 200);
}

}  // namespace
}  // namespace pastebin
