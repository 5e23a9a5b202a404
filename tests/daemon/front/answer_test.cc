#include "daemon/front/answer.h"

#include <catch2/catch.hpp>

#include "tests/daemon/harness/desk_harness.h"

namespace pastebin {
namespace {

using testing::DeskHarness;
using testing::HeaderOf;

TEST_CASE("errors are rendered in every dialect, or as a page for a browser") {
  struct Case {
    Dialect dialect;
    const char* type;
    const char* body;  // for "paste Ab3dE9x does not exist or has expired"
  };
  const Case kDialects[] = {
      {Dialect::kJson, "application/json",
       R"({"error":{"code":"not_found","message":"paste Ab3dE9x does not exist or has expired"}})"},
      {Dialect::kText, "text/plain; charset=utf-8",
       "error: paste Ab3dE9x does not exist or has expired\n"},
      {Dialect::kHaste, "application/json",
       R"({"message":"paste Ab3dE9x does not exist or has expired"})"},
  };
  for (const Case& c : kDialects) {
    for (const char* accept : {"", "*/*", "application/json", "text/html,application/xhtml+xml"}) {
      INFO("dialect " << static_cast<int>(c.dialect) << ", Accept " << accept);
      HttpRequest req = DeskHarness::Request("GET", "/Ab3dE9x", {{"Accept", accept}});
      HttpResponse res;
      SendError(req, res, NotFound("paste Ab3dE9x does not exist or has expired"), c.dialect);
      CHECK(res.status == 404);
      if (std::string(accept).find("text/html") != std::string::npos) {
        CHECK(HeaderOf(res, "Content-Type") == "text/html; charset=utf-8");
        CHECK(res.body.find("<h2 id=\"error\">Not found</h2><p id=\"message\">paste Ab3dE9x "
                            "does not exist or has expired</p>") != std::string::npos);
        CHECK(HeaderOf(res, "Content-Security-Policy").find("default-src 'none'") == 0);
      } else {
        CHECK(HeaderOf(res, "Content-Type") == c.type);
        CHECK(res.body == c.body);
      }
    }
  }
}

TEST_CASE("every status an error can have keeps its code, its words and its title") {
  struct Case {
    int status;
    const char* code;   // in the JSON dialect
    const char* title;  // of the page
  };
  const Case kStatuses[] = {
      {400, "bad_request", "Bad request"},
      {403, "forbidden", "Not allowed"},
      {404, "not_found", "Not found"},
      {405, "bad_request", "Method not allowed"},
      {408, "bad_request", "Too slow"},
      {413, "too_large", "Too large"},
      {415, "not_text", "Not text"},
      {416, "bad_request", "Error"},
      {429, "rate_limited", "Too many pastes"},
      {431, "bad_request", "Error"},
      {500, "internal", "Server error"},
      {503, "unavailable", "Busy"},
      {507, "insufficient_storage", "Out of space"},
  };
  for (const Case& c : kStatuses) {
    INFO(c.status);
    HttpRequest api = DeskHarness::Request("GET", "/x");
    HttpResponse json;
    SendErrorAs(api, json, c.status, "it went wrong", Dialect::kJson);
    CHECK(json.status == c.status);
    CHECK(json.body ==
          std::string(R"({"error":{"code":")") + c.code + R"(","message":"it went wrong"}})");
    HttpResponse text;
    SendErrorAs(api, text, c.status, "it went wrong", Dialect::kText);
    CHECK(text.status == c.status);
    CHECK(text.body == "error: it went wrong\n");
    HttpRequest browser = DeskHarness::Request("GET", "/x", {{"Accept", "text/html"}});
    HttpResponse page;
    SendErrorAs(browser, page, c.status, "it went wrong", Dialect::kText);
    CHECK(page.status == c.status);
    CHECK(page.body.find("<title>" + std::string(c.title) + " (" + std::to_string(c.status) +
                         ")</title>") != std::string::npos);
  }
}

TEST_CASE("server failures are told without their details, and 503 says when to come back") {
  HttpRequest req = DeskHarness::Request("GET", "/x");
  HttpResponse res;
  SendError(req, res, Internal("disk I/O error at /var/lib/pasted/pastes.db"), Dialect::kText);
  CHECK(res.status == 500);
  CHECK(res.body.find("/var/lib") == std::string::npos);
  CHECK(res.body.rfind("error: ", 0) == 0);
  HttpResponse busy;
  SendError(req, busy, Status(Code::kUnavailable, "the database is away"));
  CHECK(busy.status == 503);
  CHECK(HeaderOf(busy, "Retry-After") == "2");
  HttpResponse told;
  told.SetHeader("Retry-After", "9");
  SendError(req, told, Status(Code::kUnavailable, "the database is away"));
  CHECK(HeaderOf(told, "Retry-After") == "9");
}

}  // namespace
}  // namespace pastebin
