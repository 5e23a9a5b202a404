// The HTTP API of a real pasted, as any client sees it.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"
#include "tests/support/raw_http.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

json Post(httplib::Client& c, const std::string& body, int expected_status = 201) {
  auto r = c.Post("/api/v1/paste", body, "application/json");
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == expected_status);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  return json::parse(r->body);
}

// The error shape every refusal must have.
void CheckError(const json& j, const std::string& code) {
  REQUIRE(j.contains("error"));
  CHECK(j["error"]["code"] == code);
  CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
}

TEST_CASE("POST creates a paste with the documented answer") {
  E2e e;
  auto c = e.Http();
  json j = Post(c, R"({"paste_contents": "hello", "expiration_length_in_minutes": "60"})");
  std::string link = j["shortlink"];
  CHECK(std::regex_match(link, std::regex("[A-Za-z0-9]{7}")));
  CHECK(j["url"] == e.daemon.url() + "/" + link);
  // RFC 3339 UTC, as every time pasted emits but the chapter's GET.
  std::regex ts(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  CHECK(std::regex_match(j["created_at"].get<std::string>(), ts));
  CHECK(std::regex_match(j["expires_at"].get<std::string>(), ts));
  CHECK(j["expiration_length_in_minutes"] == 60);
  CHECK(std::regex_match(j["delete_token"].get<std::string>(), std::regex("[0-9a-f]{32}")));

  json never = Post(c, R"({"paste_contents": "forever"})");
  CHECK(never["expires_at"].is_null());
  CHECK(never["expiration_length_in_minutes"] == 0);
}

TEST_CASE("GET /api/v1/paste returns the paste as JSON") {
  E2e e;
  auto c = e.Http();
  json created = Post(c, R"({"paste_contents": "a\r\nb é", "expiration_length_in_minutes": 5})");
  std::string link = created["shortlink"];
  auto r = c.Get("/api/v1/paste?shortlink=" + link);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  json j = json::parse(r->body);
  CHECK(j["shortlink"] == link);
  CHECK(j["paste_contents"] == "a\r\nb é");
  // The chapter's "YYYY-MM-DD HH:MM:SS" for the time the create answer gave.
  std::string rfc3339 = created["created_at"];
  CHECK(j["created_at"] == rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 8));
  CHECK(j["expiration_length_in_minutes"] == 5);
}

TEST_CASE("GET /X returns the raw bytes as UTF-8 text") {
  E2e e;
  auto c = e.Http();
  json created = Post(c, R"({"paste_contents": "<b>raw</b>\n"})");
  auto r = c.Get("/" + created["shortlink"].get<std::string>());
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "<b>raw</b>\n");
  CHECK(r->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
}

TEST_CASE("unknown links and routes answer 404 in the error shape") {
  E2e e;
  auto c = e.Http();
  for (const char* path :
       {"/Zz9Zz9Z", "/api/v1/paste?shortlink=Zz9Zz9Z", "/short", "/..%2f..%2fetc", "/%2e%2e",
        "/no/such/route", "/api/v1/paste?shortlink=../../x"}) {
    INFO(path);
    auto r = c.Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
    CheckError(json::parse(r->body), "not_found");
  }
  auto r = c.Get("/Zz9Zz9Z");
  CHECK(json::parse(r->body)["error"]["message"] == "paste Zz9Zz9Z does not exist or has expired");
}

TEST_CASE("a missing shortlink parameter is a 400") {
  E2e e;
  auto c = e.Http();
  auto r = c.Get("/api/v1/paste");
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(json::parse(r->body)["error"]["message"] ==
        "missing query parameter 'shortlink' (e.g. GET "
        "/api/v1/paste?shortlink=Ab3dE9x)");
}

TEST_CASE("bad create requests get 400 and store nothing") {
  E2e e;
  auto c = e.Http();
  for (const char* body :
       {"", "not json", "{\"paste_contents\": \"x\"", "[]", "{}", R"({"paste_contents": 42})",
        R"({"paste_contents": "x", "expiration_length_in_minutes": -1})",
        R"({"paste_contents": "x", "expiration_length_in_minutes": "ten"})",
        R"({"paste_contents": "x", "expiration_length_in_minutes": 1.5})",
        R"({"paste_contents": "x", "expiration_length_in_minutes": 99999999999})",
        R"({"paste_contents": ""})"}) {
    INFO(body);
    CheckError(Post(c, body, 400), "bad_request");
  }
  CHECK(e.StoredBodies() == 0);
}

TEST_CASE("non-text pastes get 415 and store nothing") {
  E2e e;
  auto c = e.Http();
  // A NUL escaped in JSON, and raw bytes that are not UTF-8.
  json nul = Post(c, R"({"paste_contents": "a\u0000b"})", 415);
  CheckError(nul, "not_text");
  CHECK(nul["error"]["message"] ==
        "paste contains a NUL byte at offset 1; only text can be pasted "
        "(binary data is refused)");
  json bad = Post(c, "{\"paste_contents\": \"\xff\xfe\"}", 415);
  CheckError(bad, "not_text");
  CHECK(bad["error"]["message"] ==
        "request body is not valid UTF-8 (byte 0xff at offset 20); only "
        "UTF-8 text can be pasted, convert it first (e.g. with iconv)");
  CHECK(e.StoredBodies() == 0);
}

TEST_CASE("oversized pastes get 413 and store nothing") {
  E2e e({"--max-paste-bytes", "100"});
  auto c = e.Http();
  json j = Post(c, json{{"paste_contents", std::string(101, 'x')}}.dump(), 413);
  CheckError(j, "too_large");
  // A body far beyond what any paste could need is cut off by the HTTP
  // layer, still in the error shape.
  json huge = Post(c, json{{"paste_contents", std::string(1 << 20, 'x')}}.dump(), 413);
  CheckError(huge, "too_large");
  // Escapes do not count against the limit: 100 newlines are 200 JSON bytes.
  Post(c, json{{"paste_contents", std::string(100, '\n')}}.dump(), 201);
  CHECK(e.StoredBodies() == 1);
}

TEST_CASE("healthz answers 200 when the daemon can serve") {
  E2e e;
  auto c = e.Http();
  auto r = c.Get("/healthz");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json::parse(r->body)["status"] == "ok");
}

TEST_CASE("public_url decides the links handed out") {
  E2e e({"--public-url", "https://paste.example.org/p/"});
  auto c = e.Http();
  json j = Post(c, R"({"paste_contents": "x"})");
  CHECK(j["url"] == "https://paste.example.org/p/" + j["shortlink"].get<std::string>());
}

TEST_CASE("links follow the Host the client used when no public_url is set") {
  E2e e;
  auto c = e.Http();
  httplib::Headers h = {{"Host", "paste.internal:8077"}};
  auto r = c.Post("/api/v1/paste", h, R"({"paste_contents": "x"})", "application/json");
  REQUIRE(r);
  json j = json::parse(r->body);
  CHECK(j["url"] == "http://paste.internal:8077/" + j["shortlink"].get<std::string>());
  // A Host that is valid but no plausible host name is not echoed back.
  httplib::Headers odd = {{"Host", "odd'(name)"}};
  r = c.Post("/api/v1/paste", odd, R"({"paste_contents": "x"})", "application/json");
  REQUIRE(r);
  CHECK(json::parse(r->body)["url"] ==
        e.daemon.url() + "/" + json::parse(r->body)["shortlink"].get<std::string>());
  // An invalid one is refused.
  httplib::Headers evil = {{"Host", "evil.example/<script>"}};
  r = c.Post("/api/v1/paste", evil, R"({"paste_contents": "x"})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(json::parse(r->body)["error"]["message"] == "invalid Host header");
}

TEST_CASE("an absolute-form target's host builds the links, not the Host header") {
  // Regression: POST http://good.example/ with Host: evil.example built
  // links on evil.example.
  E2e e;
  std::string body = R"({"paste_contents":"x"})";
  std::string answer =
      RawExchange(e.daemon.port(),
                  "POST http://good.example/api/v1/paste HTTP/1.1\r\nHost: evil.example\r\n"
                  "Content-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  json j = json::parse(answer.substr(answer.find("\r\n\r\n") + 4));
  CHECK(j["url"] == "http://good.example/" + j["shortlink"].get<std::string>());
}

TEST_CASE("a second daemon on the same data dir refuses to start") {
  E2e e;
  Daemon second(e.dir / "data");
  CHECK_THROWS_WITH(second.Start(), Catch::Contains("another pasted is already using data dir " +
                                                    (e.dir / "data")));
}

TEST_CASE("a start that fails on an address in use leaves no data dir behind") {
  E2e e;
  TempDir dir;
  auto r = Run({BinaryPath("pasted"), "--data-dir", dir / "new", "--listen",
                "127.0.0.1:" + std::to_string(e.daemon.port())});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("Address already in use"));
  CHECK_FALSE(std::filesystem::exists(dir / "new"));
}

TEST_CASE("what pasted creates is its own: 0600 files, 0700 directories", "[sqlite]") {
  E2e e;
  REQUIRE(e.Cli({"put"}, "private\n").exit_code == 0);
  REQUIRE(e.daemon.Stop() == 0);  // the access log is flushed
  for (const char* name : {"pastes.db", "access.log", "admin.token", "pasted.lock"}) {
    INFO(name);
    struct stat st;
    REQUIRE(stat((e.dir / ("data/" + std::string(name))).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
  for (const char* name : {"", "content"}) {
    INFO(name);
    struct stat st;
    REQUIRE(stat((e.dir / ("data/" + std::string(name))).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
  }
}

TEST_CASE("SIGTERM stops the daemon cleanly") {
  E2e e;
  CHECK(e.daemon.Stop() == 0);
  CHECK_THAT(e.daemon.log(), Catch::Contains("pasted: info: stopped"));
}

// Regression: the library's stop() was a no-op until its accept loop ran,
// so a SIGTERM landing just after "listening on" left pasted running.
TEST_CASE("SIGTERM right after start-up still stops the daemon") {
  TempDir dir;
  for (int i = 0; i < 20; ++i) {
    Daemon d(dir / "data");
    d.Start();
    REQUIRE(d.Stop() == 0);
  }
}

TEST_CASE("bad flags stop start-up with exit 2 and a message") {
  TempDir dir;
  auto r = Run({BinaryPath("pasted"), "--threads", "0", "--data-dir", dir / "d"});
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "pasted: error: --threads: invalid value '0', expected "
        "a whole number from 1 to 4096\n");
  // A start-up that fails says why, and nothing of what it would have served.
  WriteFile(dir / "a-file", "");
  auto failed =
      Run({BinaryPath("pasted"), "--listen", "127.0.0.1:0", "--data-dir", dir / "a-file"});
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("exists but is not a directory"));
  CHECK(failed.err.find("serving up to") == std::string::npos);
  auto unknown = Run({BinaryPath("pasted"), "--no-such-flag"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "pasted: error: unknown option '--no-such-flag'\nRun 'pasted --help' for usage.\n");
  // A flag misspelt gets the one it is nearest.
  auto typo = Run({BinaryPath("pasted"), "--lisen", "127.0.0.1:0"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::StartsWith("pasted: error: unknown option '--lisen' (did you mean "
                                         "--listen?)"));
  WriteFile(dir / "pasted.conf", "listen = 127.0.0.1:0\nno_such_key = 1\n");
  auto conf = Run({BinaryPath("pasted"), "--config", dir / "pasted.conf"});
  CHECK(conf.exit_code == 2);
  CHECK(conf.err == "pasted: error: " + (dir / "pasted.conf") +
                        ":2: unknown key 'no_such_key' (see pasted.conf(5) "
                        "for the keys)\n");
}

}  // namespace
}  // namespace pastebin::testing
