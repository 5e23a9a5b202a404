#include "daemon/http/router.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

Router Sample() {
  return Router({{"POST", "/api/v1/paste"},
                 {"GET", "/api/v1/paste"},
                 {"DELETE", "/api/v1/paste"},
                 {"GET", "/healthz"},
                 {"GET", "/raw/{link}"},
                 {"GET", "/documents/{link}"},
                 {"GET", "/{link}"}});
}

TEST_CASE("routes match by method and path, {link} capturing a segment") {
  Router r = Sample();
  std::vector<std::string> params;
  CHECK(r.Match("GET", "/Ab3dE9x", &params) == 6);
  CHECK(params == std::vector<std::string>{"Ab3dE9x"});
  CHECK(r.Match("HEAD", "/raw/Ab3dE9x", &params) == 4);  // GET rows answer HEAD
  CHECK(params == std::vector<std::string>{"Ab3dE9x"});
  CHECK(r.Match("GET", "/documents/Ab3dE9x", &params) == 5);
  CHECK(r.Match("GET", "/healthz", &params) == 3);
  CHECK(params.empty());
  CHECK(r.Match("DELETE", "/api/v1/paste", &params) == 2);
}

TEST_CASE("unmatched requests say which methods the path takes") {
  Router r = Sample();
  std::vector<std::string> params;
  CHECK(r.Match("PUT", "/api/v1/paste", &params) == -1);
  CHECK(r.Allowed("/api/v1/paste") == "POST, GET, HEAD, DELETE");
  CHECK(r.Match("GET", "/a/b/c", &params) == -1);
  CHECK(r.Allowed("/a/b/c").empty());
  CHECK(r.Match("GET", "/raw/", &params) == -1);  // {link} is never empty
  CHECK(r.Allowed("/Ab3dE9x") == "GET, HEAD");
}

TEST_CASE("the router counts its matches") {
  Router r = Sample();
  std::vector<std::string> params;
  r.Match("GET", "/x", &params);
  r.Match("GET", "/nope/nope", &params);
  r.Allowed("/nope/nope");  // a different question: not a match
  CHECK(r.matches() == 2);
}

}  // namespace
}  // namespace pastebin
