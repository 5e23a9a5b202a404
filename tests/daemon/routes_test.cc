// The route table as a whole: names, bodies, dialects, and that every row
// is bound to a handler that answers in the row's dialect.
#include "daemon/routes.h"

#include <catch2/catch.hpp>
#include <set>

#include "tests/daemon/harness/desk_harness.h"

namespace pastebin {
namespace {

using testing::DeskHarness;
using testing::HeaderOf;

TEST_CASE("route names are unique, as metrics labels must be") {
  DeskHarness h;
  std::set<std::string> names;
  for (const Route& r : h.desk.routes()) {
    INFO(r.name);
    CHECK(names.insert(r.name).second);
    CHECK(r.handle);
  }
  CHECK(names.size() == h.desk.routes().size());
}

TEST_CASE("/{link} comes last: every other path is tried first") {
  DeskHarness h;
  CHECK(std::string(h.desk.routes().back().path) == "/{link}");
}

TEST_CASE("the write gate guards every route that creates, the miss gate every lookup") {
  DeskHarness h;
  std::set<std::string> creating, looking_up;
  for (const Route& r : h.desk.routes()) {
    if (r.gate == Gate::kCreates) creating.insert(r.name);
    if (r.gate == Gate::kLooksUp) looking_up.insert(r.name);
  }
  CHECK(creating == std::set<std::string>{"create_paste", "create_link", "upload", "form",
                                          "haste_create", "dpaste_create", "stikked_create",
                                          "submit_php", "lodgeit_new_paste", "pastebin_com_post"});
  CHECK(looking_up == std::set<std::string>{"get_paste", "delete_paste", "paste_stats", "get_link",
                                            "form_delete", "haste_get", "burn", "created",
                                            "raw_prefixed", "share_prefixed", "download_prefixed",
                                            "pastebin_com_raw", "lodgeit_show", "raw_paste"});
}

// The Content-Type each dialect's errors carry.
std::string TypeOf(Dialect d) {
  switch (d) {
    case Dialect::kJson:
    case Dialect::kHaste:
      return "application/json";
    case Dialect::kText:
    case Dialect::kPastebinCom:
      return "text/plain; charset=utf-8";
  }
  return "";
}

TEST_CASE("every route's own errors are told in its row's dialect") {
  // A request each route refuses in its handler: a missing paste, a bad
  // form, an empty body, no admin token.
  const std::map<std::string, std::pair<std::string, std::string>> kBad = {
      {"create_paste", {"POST /api/v1/paste", "{}"}},
      {"get_paste", {"GET /api/v1/paste?shortlink=Nope123", ""}},
      {"delete_paste", {"DELETE /api/v1/paste?shortlink=Nope123", ""}},
      {"admin_gc", {"POST /api/v1/admin/gc", ""}},
      {"paste_stats", {"GET /api/v1/paste/stats", ""}},
      {"admin_stats", {"GET /api/v1/admin/stats", ""}},
      {"metrics", {"GET /metrics", ""}},
      {"create_link", {"POST /api/v1/link", "{}"}},
      {"get_link", {"GET /api/v1/link?shortlink=Nope123", ""}},
      {"static", {"GET /static/nope.css", ""}},
      {"upload", {"POST /", ""}},
      {"form", {"POST /form", "x=1"}},
      {"form_delete", {"POST /form/delete", "shortlink=x"}},
      {"haste_create", {"POST /documents", ""}},
      {"haste_get", {"GET /documents/Nope123", ""}},
      {"burn", {"POST /burn/Nope123", ""}},
      {"raw_prefixed", {"GET /raw/Nope123", ""}},
      {"share_prefixed", {"GET /share/Nope123", ""}},
      {"download_prefixed", {"GET /dl/Nope123", ""}},
      {"dpaste_create", {"POST /api/v2/", "x=1"}},
      {"submit_php", {"POST /submit.php", "x=1"}},
      {"lodgeit_new_paste", {"POST /json/?method=pastes.newPaste", "{}"}},
      {"lodgeit_show", {"GET /show/Nope123/", ""}},
      {"stikked_create", {"POST /api/create", "x=1"}},
      {"pastebin_com_post", {"POST /api/api_post.php", "x=1"}},
      {"pastebin_com_get", {"GET /api/api_post.php", ""}},
      {"pastebin_com_login", {"POST /api/api_login.php", ""}},
      {"pastebin_com_user_raw", {"POST /api/api_raw.php", ""}},
      {"pastebin_com_raw", {"GET /raw.php?i=Nope123", ""}},
      {"raw_paste", {"GET /Nope123", ""}},
  };
  DeskHarness h;
  for (const Route& route : h.desk.routes()) {
    auto bad = kBad.find(route.name);
    if (bad == kBad.end()) continue;  // home, info, health, robots, favicon: no errors of their own
    INFO(route.name);
    std::string line = bad->second.first;
    size_t space = line.find(' ');
    auto req = DeskHarness::Request(line.substr(0, space), line.substr(space + 1),
                                    {{"Content-Type", "application/x-www-form-urlencoded"}},
                                    bad->second.second);
    HttpResponse res = h.Serve(req);
    CHECK(res.status >= 400);
    CHECK(HeaderOf(res, "Content-Type") == TypeOf(route.dialect));
  }
}

TEST_CASE("the refusals the server makes are told in the route's dialect") {
  DeskHarness h;
  for (const Route& route : h.desk.routes()) {
    INFO(route.name);
    HttpRequest req = DeskHarness::Request(route.method, route.path);
    h.desk.Admit(req);
    HttpResponse res;
    h.desk.Refuse(req, 413, "too large", res);
    CHECK(res.status == 413);
    CHECK(HeaderOf(res, "Content-Type") == TypeOf(route.dialect));
  }
}

}  // namespace
}  // namespace pastebin
