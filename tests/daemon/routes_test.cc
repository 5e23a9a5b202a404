#include "daemon/routes.h"

#include <catch2/catch.hpp>
#include <set>

namespace pastebin {
namespace {

HttpRequest Req(const std::string& method, const std::string& path) {
  HttpRequest r;
  r.method = method;
  r.path = path;
  return r;
}

TEST_CASE("route names are unique, as metrics labels must be") {
  std::set<std::string> names;
  for (const Route& r : Routes()) {
    INFO(r.name);
    CHECK(names.insert(r.name).second);
  }
}

TEST_CASE("routes match by method and path, {link} capturing a segment") {
  std::string allowed;
  auto raw = Req("GET", "/Ab3dE9x");
  REQUIRE(MatchRoute(raw, &allowed) >= 0);
  CHECK(std::string(Routes()[raw.route].name) == "raw_paste");
  CHECK(raw.path_params == std::vector<std::string>{"Ab3dE9x"});
  auto head = Req("HEAD", "/raw/Ab3dE9x");
  REQUIRE(MatchRoute(head, &allowed) >= 0);
  CHECK(std::string(Routes()[head.route].name) == "raw_prefixed");
  auto haste = Req("GET", "/documents/Ab3dE9x");
  REQUIRE(MatchRoute(haste, &allowed) >= 0);
  CHECK(std::string(Routes()[haste.route].name) == "haste_get");
  auto healthz = Req("GET", "/healthz");
  REQUIRE(MatchRoute(healthz, &allowed) >= 0);
  CHECK(std::string(Routes()[healthz.route].name) == "healthz");
}

TEST_CASE("unmatched requests say which methods the path takes") {
  std::string allowed;
  auto put = Req("PUT", "/api/v1/paste");
  CHECK(MatchRoute(put, &allowed) == -1);
  CHECK(allowed == "POST, GET, HEAD, DELETE");
  auto nested = Req("GET", "/a/b/c");
  CHECK(MatchRoute(nested, &allowed) == -1);
  CHECK(allowed.empty());
  auto empty_link = Req("GET", "/raw/");
  CHECK(MatchRoute(empty_link, &allowed) == -1);
}

}  // namespace
}  // namespace pastebin
