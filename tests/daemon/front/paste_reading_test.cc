// Burn after reading on every route that reads a paste: one path decides.
#include "daemon/front/paste_reading.h"

#include <catch2/catch.hpp>
#include <set>

#include "tests/daemon/harness/desk_harness.h"

namespace pastebin {
namespace {

using testing::DeskHarness;
using testing::HeaderOf;

struct ReadingRoute {
  const char* name;
  std::string (*target)(const std::string& link);
  bool asks_browsers;  // a browser gets the asking page first
};

const ReadingRoute kReadingRoutes[] = {
    {"raw_paste", [](const std::string& l) { return "/" + l; }, true},
    {"raw_prefixed", [](const std::string& l) { return "/raw/" + l; }, true},
    {"share_prefixed", [](const std::string& l) { return "/share/" + l; }, true},
    {"get_paste", [](const std::string& l) { return "/api/v1/paste?shortlink=" + l; }, false},
    {"haste_get", [](const std::string& l) { return "/documents/" + l; }, false},
};

// A burn-after-reading paste in h: its shortlink.
std::string BurningPaste(DeskHarness& h) {
  PasteOptions burn;
  burn.burn_after_reading = true;
  return h.Put("read me once", burn);
}

TEST_CASE("every GET route is known to read a paste or to read none") {
  const std::set<std::string> kReadsNone = {
      "admin_challenge", "info",   "healthz", "readyz",   "metrics",     "home",
      "static",          "robots", "favicon", "get_link", "paste_stats", "admin_stats"};
  std::set<std::string> reading;
  for (const ReadingRoute& r : kReadingRoutes) reading.insert(r.name);
  DeskHarness h;
  for (const Route& route : h.desk.routes()) {
    if (std::string(route.method) != "GET") continue;
    INFO(route.name);
    CHECK((reading.count(route.name) + kReadsNone.count(route.name)) == 1);
  }
}

TEST_CASE("a HEAD never burns a paste, on any route") {
  for (const ReadingRoute& r : kReadingRoutes) {
    INFO(r.name);
    DeskHarness h;
    std::string link = BurningPaste(h);
    for (const char* accept : {"*/*", "text/html"}) {
      HttpResponse head =
          h.Serve(DeskHarness::Request("HEAD", r.target(link), {{"Accept", accept}}));
      CHECK(head.status == 200);
      CHECK(HeaderOf(head, "Cache-Control") == "no-store");
    }
    CHECK(h.pastes.Get(link).ok());  // still there
  }
}

TEST_CASE("a burn-after-reading paste is given out once, whichever route reads it") {
  for (const ReadingRoute& r : kReadingRoutes) {
    INFO(r.name);
    DeskHarness h;
    std::string link = BurningPaste(h);
    HttpResponse first = h.Serve(DeskHarness::Request("GET", r.target(link)));
    CHECK(first.status == 200);
    CHECK(first.body.find("read me once") != std::string::npos);
    CHECK(HeaderOf(first, "Cache-Control") == "no-store");
    CHECK(h.pastes.cache().bytes() == 0);  // never cached
    HttpResponse second = h.Serve(DeskHarness::Request("GET", r.target(link)));
    CHECK(second.status == 404);
  }
}

TEST_CASE("a browser is asked first where a page can ask, and the button reads it") {
  for (const ReadingRoute& r : kReadingRoutes) {
    INFO(r.name);
    DeskHarness h;
    std::string link = BurningPaste(h);
    HttpResponse res =
        h.Serve(DeskHarness::Request("GET", r.target(link), {{"Accept", "text/html"}}));
    CHECK(res.status == 200);
    if (!r.asks_browsers) {
      CHECK(res.body.find("read me once") != std::string::npos);  // the API's caller asked
      CHECK_FALSE(h.pastes.Get(link).ok());
      continue;
    }
    CHECK(res.body.find("<form method=\"post\" action=\"/burn/" + link + "\">") !=
          std::string::npos);
    CHECK(res.body.find("read me once") == std::string::npos);
    REQUIRE(h.pastes.Get(link).ok());
    HttpResponse opened =
        h.Serve(DeskHarness::Request("POST", "/burn/" + link, {{"Accept", "text/html"}}));
    CHECK(opened.status == 200);
    CHECK(opened.body.find("read me once") != std::string::npos);
    CHECK_FALSE(h.pastes.Get(link).ok());
  }
}

}  // namespace
}  // namespace pastebin
