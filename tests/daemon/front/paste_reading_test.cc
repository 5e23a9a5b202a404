// Burn after reading on every route that reads a paste: one path decides.
#include "daemon/front/paste_reading.h"

#include <catch2/catch.hpp>
#include <set>

#include "tests/daemon/harness/desk_harness.h"

namespace pastebin {
namespace {

using testing::DeskHarness;
using testing::DeskOptions;
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
    {"download_prefixed", [](const std::string& l) { return "/dl/" + l; }, true},
    {"pastebin_com_raw", [](const std::string& l) { return "/raw.php?i=" + l; }, true},
    {"lodgeit_show", [](const std::string& l) { return "/show/" + l + "/"; }, true},
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
      "admin_challenge",  "info",   "healthz", "readyz",   "metrics",     "home",
      "static",           "robots", "favicon", "get_link", "paste_stats", "admin_stats",
      "pastebin_com_get", "created"};  // looks only: tested below
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

// The created page (/created/X, where the form leads a browser) only looks:
// a burn-after-reading paste's text is not on it, whatever is asked.
TEST_CASE("the created page never burns a paste nor shows a burning paste's text") {
  DeskHarness h;
  std::string link = BurningPaste(h);
  for (const char* target : {"/created/", "/created/?burn=yes"}) {
    std::string path = target;
    path.insert(path.find('/', 1) + 1, link);
    for (const char* accept : {"text/html", "*/*"}) {
      HttpResponse page = h.Serve(DeskHarness::Request("GET", path, {{"Accept", accept}}));
      CHECK(page.status == 200);
      CHECK(page.body.find("read me once") == std::string::npos);
      CHECK(page.body.find("burns after reading") != std::string::npos);
      CHECK(HeaderOf(page, "Cache-Control") == "no-store");
    }
  }
  CHECK(h.pastes.Get(link).ok());  // still there
  std::string plain = h.Put("shown as its page shows it");
  HttpResponse page =
      h.Serve(DeskHarness::Request("GET", "/created/" + plain, {{"Accept", "text/html"}}));
  CHECK(page.body.find("shown as its page shows it") != std::string::npos);
}

// "?burn=yes" or "&burn=yes" after target.
std::string Outright(const std::string& target) {
  return target + (target.find('?') == std::string::npos ? "?" : "&") + "burn=yes";
}

TEST_CASE("a burn-after-reading paste is given out once, asked for outright, on every route") {
  for (const ReadingRoute& r : kReadingRoutes) {
    INFO(r.name);
    DeskHarness h;
    std::string link = BurningPaste(h);
    HttpResponse first = h.Serve(DeskHarness::Request("GET", Outright(r.target(link))));
    CHECK(first.status == 200);
    CHECK(first.body.find("read me once") != std::string::npos);
    CHECK(HeaderOf(first, "Cache-Control") == "no-store");
    CHECK(h.pastes.cache().bytes() == 0);  // never cached
    HttpResponse second = h.Serve(DeskHarness::Request("GET", Outright(r.target(link))));
    CHECK(second.status == 404);
  }
}

// A store that fetches rows later (PostgreSQL's): the loop's request waits
// deferred and runs again with the row; a paste that burns, or one too big
// for the loop, goes on to a reader with it.
TEST_CASE("every route reads a paste through a store that fetches its row later") {
  for (const ReadingRoute& r : kReadingRoutes) {
    INFO(r.name);
    DeskOptions o;
    o.limits.cache_bytes = 0;  // every read goes to the store
    o.fetch_later = true;
    DeskHarness h(o);
    std::string link = h.Put("fetched for me");
    std::string big = h.Put(std::string(200 << 10, 'b'));
    std::string burning = BurningPaste(h);
    int gets = h.metadata.gets;
    HttpResponse got = h.Serve(DeskHarness::Request("GET", r.target(link)));
    CHECK(got.status == 200);
    CHECK(got.Body().find("fetched for me") != std::string::npos);
    HttpResponse large = h.Serve(DeskHarness::Request("GET", r.target(big)));
    CHECK(large.status == 200);
    CHECK(large.Body().find(std::string(1000, 'b')) != std::string::npos);
    HttpResponse burned = h.Serve(DeskHarness::Request("GET", Outright(r.target(burning))));
    CHECK(burned.status == 200);
    CHECK(burned.Body().find("read me once") != std::string::npos);
    CHECK(h.Serve(DeskHarness::Request("GET", Outright(r.target(burning)))).status == 404);
    CHECK(h.Serve(DeskHarness::Request("GET", r.target("Zz9Zz9Z"))).status == 404);
    // Each read asked the store once, through GetLater: the second runs
    // (on the loop, or a reader's) used the row it brought, and the burn
    // reserved what its row said before its delete, without asking again.
    CHECK(h.metadata.fetched_later == 5);
    CHECK(h.metadata.gets - gets == 5);
  }
}

// Regression: link previews (Slack, Discord, Facebook fetch with
// Accept: */*) burned a burn-after-reading paste by fetching it.
TEST_CASE("a fetch that does not ask outright gets a notice and leaves the paste") {
  for (const ReadingRoute& r : kReadingRoutes) {
    INFO(r.name);
    DeskHarness h;
    std::string link = BurningPaste(h);
    for (const char* accept : {"*/*", "application/json", "text/plain"}) {
      HttpResponse preview =
          h.Serve(DeskHarness::Request("GET", r.target(link), {{"Accept", accept}}));
      CHECK(preview.status == 409);
      CHECK(preview.body.find("read me once") == std::string::npos);
      CHECK(preview.body.find("burns after reading") != std::string::npos);
      CHECK(HeaderOf(preview, "Cache-Control") == "no-store");
    }
    REQUIRE(h.pastes.Get(link).ok());  // still there
    // POST /burn/X is asking outright too: the raw bytes to a non-browser.
    HttpResponse button = h.Serve(DeskHarness::Request("POST", "/burn/" + link));
    CHECK(button.status == 200);
    CHECK(button.body == "read me once");
    CHECK_FALSE(h.pastes.Get(link).ok());
  }
}

TEST_CASE("a browser is asked first where a page can ask, and the button reads it") {
  for (const ReadingRoute& r : kReadingRoutes) {
    INFO(r.name);
    DeskHarness h;
    std::string link = BurningPaste(h);
    HttpResponse res =
        h.Serve(DeskHarness::Request("GET", r.target(link), {{"Accept", "text/html"}}));
    REQUIRE(h.pastes.Get(link).ok());  // only looked at
    CHECK(res.body.find("read me once") == std::string::npos);
    if (!r.asks_browsers) {
      CHECK(res.status == 409);  // the notice, as a page
      continue;
    }
    CHECK(res.status == 200);
    CHECK(res.body.find("<form method=\"post\" action=\"/burn/" + link + "\">") !=
          std::string::npos);
    HttpResponse opened =
        h.Serve(DeskHarness::Request("POST", "/burn/" + link, {{"Accept", "text/html"}}));
    CHECK(opened.status == 200);
    CHECK(opened.body.find("read me once") != std::string::npos);
    CHECK_FALSE(h.pastes.Get(link).ok());
  }
}

}  // namespace
}  // namespace pastebin
