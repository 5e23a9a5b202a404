// The clients people already use, unmodified, against a real pasted: curl
// (raw, multipart, sprunge and url-encoded forms), the haste API,
// pastebinit and netcat.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

const std::regex kUrlLine(R"(http://127\.0\.0\.1:\d+/([A-Za-z0-9]{7})\n)");

RunResult Curl(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), {"/usr/bin/env", "curl", "-sS"});
  return Run(args, input);
}

// The raw bytes of the paste a URL line names.
std::string Fetch(E2e& e, const std::string& url_line) {
  auto r = e.Http().Get("/" + E2e::LinkOf(url_line));
  return r && r->status == 200 ? r->body : "<" + std::to_string(r ? r->status : -1) + ">";
}

void RequireCurl() {
  if (!HaveProgram("curl")) SkipTest("curl is not installed");
}

TEST_CASE("curl --data-binary posts the raw bytes, even labelled as a form") {
  RequireCurl();
  E2e e;
  std::string body = "raw: a=b&c=d\r\nünïcode line\n";
  auto r = Curl({"--data-binary", "@-", e.daemon.url() + "/"}, body);
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::regex_match(r.out, kUrlLine));
  CHECK(Fetch(e, r.out) == body);
  // Bodies that look just like a form are stored byte for byte all the
  // same (curl labels them application/x-www-form-urlencoded).
  for (std::string form_like :
       {"file=hello world", "text=a+b%20c", "content=a&b", "a=1&b=2", "paste=x\n"}) {
    auto looks = Curl({"--data-binary", "@-", e.daemon.url() + "/"}, form_like);
    REQUIRE(std::regex_match(looks.out, kUrlLine));
    CHECK(Fetch(e, looks.out) == form_like);
  }
  // Expiry in our duration format, in the query.
  auto brief = Curl({"--data-binary", "@-", "-D", "-", e.daemon.url() + "/?expire=1h"}, "x");
  CHECK_THAT(brief.out, Catch::Contains("HTTP/1.1 201 Created"));
  CHECK(std::regex_search(brief.out, std::regex("X-Delete-Token: [0-9a-f]{32}")));
}

TEST_CASE("curl -F file=@ uploads a file or stdin, 0x0 style") {
  RequireCurl();
  E2e e;
  std::string notes = "notes\r\nwith CRLF and a tab\tand no newline at the end";
  WriteFile(e.dir / "notes.txt", notes);
  auto file = Curl({"-F", "file=@" + (e.dir / "notes.txt"), e.daemon.url() + "/"});
  REQUIRE(std::regex_match(file.out, kUrlLine));
  CHECK(Fetch(e, file.out) == notes);
  auto in = Curl({"-F", "file=@-", "-F", "expire=10m", e.daemon.url() + "/"}, "from stdin\n");
  REQUIRE(std::regex_match(in.out, kUrlLine));
  CHECK(Fetch(e, in.out) == "from stdin\n");
  auto json_view =
      json::parse(e.Http().Get("/api/v1/paste?shortlink=" + E2e::LinkOf(in.out))->body);
  CHECK(json_view["expiration_length_in_minutes"] == 10);
}

TEST_CASE("curl -F sprunge=<- works as with sprunge") {
  RequireCurl();
  E2e e;
  auto r = Curl({"-F", "sprunge=<-", e.daemon.url() + "/"}, "sprunge style\n");
  REQUIRE(std::regex_match(r.out, kUrlLine));
  CHECK(Fetch(e, r.out) == "sprunge style\n");
}

TEST_CASE("a url-encoded form posts its content field to /form") {
  RequireCurl();
  E2e e;
  auto r = Curl({"--data-urlencode", "content@-", "-d", "title=ignored", "-d", "expire=1h",
                 e.daemon.url() + "/form"},
                "form & content = 100%\n");
  REQUIRE(std::regex_match(r.out, kUrlLine));
  CHECK(Fetch(e, r.out) == "form & content = 100%\n");
  auto view = json::parse(e.Http().Get("/api/v1/paste?shortlink=" + E2e::LinkOf(r.out))->body);
  CHECK(view["expiration_length_in_minutes"] == 60);
  // A browser's form post is sent on to the created page, the delete
  // token in the address's fragment.
  auto html = Curl({"-d", "content=hi", "-H", "Accept: text/html", "-o", "/dev/null", "-w",
                    "%{http_code} %{redirect_url}", e.daemon.url() + "/form"});
  CHECK(std::regex_match(html.out, std::regex("303 " + e.daemon.url() +
                                              "/created/[A-Za-z0-9]{7}#token=[0-9a-f]{32}")));
  // Multipart works there too; raw bytes do not, saying where they go.
  auto multi = Curl({"-F", "text=<-", e.daemon.url() + "/form"}, "multipart\n");
  CHECK(Fetch(e, multi.out) == "multipart\n");
  auto raw = Curl({"--data-binary", "@-", "-H", "Content-Type: text/plain", "-w", "%{http_code}",
                   e.daemon.url() + "/form"},
                  "raw");
  CHECK(raw.out ==
        "error: POST /form takes application/x-www-form-urlencoded or multipart/form-data; "
        "send raw bytes to POST / instead\n400");
  auto nothing = Curl({"-d", "title=only", "-w", "%{http_code}", e.daemon.url() + "/form"});
  CHECK(nothing.out ==
        "error: no paste in this form: send a field named file, sprunge, content, paste or "
        "text\n400");
}

TEST_CASE("uploads get plain-text errors and store nothing") {
  RequireCurl();
  E2e e({"--max-paste-bytes", "100"});
  auto nul = Curl({"--data-binary", "@-", "-w", "%{http_code}", e.daemon.url() + "/"},
                  std::string("a\0b", 3));
  CHECK(nul.out ==
        "error: paste contains a NUL byte at offset 1; only text can be pasted (binary "
        "data is refused)\n415");
  auto big = Curl({"--data-binary", "@-", "-w", "%{http_code}", e.daemon.url() + "/"},
                  std::string(101, 'x'));
  CHECK_THAT(big.out, Catch::StartsWith("error: paste is 101 bytes, over this server's limit"));
  CHECK_THAT(big.out, Catch::EndsWith("413"));
  auto empty = Curl({"-F", "other=1", "-w", "%{http_code}", e.daemon.url() + "/"});
  CHECK(empty.out ==
        "error: no paste in this form: send a field named file, sprunge, content, paste or "
        "text\n400");
  auto expiry =
      Curl({"-F", "file=@-", "-F", "expire=soon", "-w", "%{http_code}", e.daemon.url() + "/"}, "x");
  CHECK_THAT(expiry.out, Catch::StartsWith("error: invalid duration 'soon'"));
  CHECK(e.StoredBodies() == 0);
}

TEST_CASE("the haste API creates and serves documents") {
  RequireCurl();
  E2e e;
  auto created = Curl({"--data-binary", "@-", e.daemon.url() + "/documents"}, "haste body\n");
  json key = json::parse(created.out);
  std::string k = key["key"];
  REQUIRE(std::regex_match(k, std::regex("[A-Za-z0-9]{7}")));
  CHECK(Curl({e.daemon.url() + "/raw/" + k}).out == "haste body\n");
  CHECK(Curl({e.daemon.url() + "/share/" + k}).out == "haste body\n");
  CHECK(Curl({e.daemon.url() + "/" + k}).out == "haste body\n");
  CHECK(json::parse(Curl({e.daemon.url() + "/documents/" + k}).out) ==
        json{{"data", "haste body\n"}, {"key", k}});
  auto missing = Curl({"-w", "%{http_code}", e.daemon.url() + "/documents/Zz9Zz9Z"});
  CHECK(missing.out == "{\"message\":\"paste Zz9Zz9Z does not exist or has expired\"}404");
}

TEST_CASE("pastebinit posts with the shipped config") {
  if (!HaveProgram("pastebinit")) SkipTest("pastebinit is not installed");
  E2e e;
  std::string host = "127.0.0.1:" + std::to_string(e.daemon.port());
  std::string conf = ReadFile(std::string(PASTEBIN_SOURCE_DIR) + "/scripts/pastebinit.conf");
  // The one edit a user makes: basename.
  conf = std::regex_replace(conf, std::regex("basename = .*"), "basename = " + host);
  REQUIRE(system(("mkdir -p " + (e.dir / "home/.pastebin.d")).c_str()) == 0);
  WriteFile(e.dir / "home/.pastebin.d/pasted.conf", conf);
  WriteFile(e.dir / "log.txt", "kernel: something odd\nline two ✓\n");
  auto r = Run({"/usr/bin/pastebinit", "-b", host, "-i", e.dir / "log.txt"}, "",
               {{"HOME", e.dir / "home"}});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::regex_match(r.out, kUrlLine));
  // pastebinit strips trailing whitespace before sending.
  CHECK(Fetch(e, r.out) == "kernel: something odd\nline two ✓");
  // -f names the language; the config's expiry passes through.
  conf = std::regex_replace(conf, std::regex("\nexpiry =\n"), "\nexpiry = 2d\n");
  WriteFile(e.dir / "home/.pastebin.d/pasted.conf", conf);
  auto py = Run({"/usr/bin/pastebinit", "-b", host, "-f", "py", "-i", e.dir / "log.txt"}, "",
                {{"HOME", e.dir / "home"}});
  REQUIRE(std::regex_match(py.out, kUrlLine));
  std::string link = py.out.substr(py.out.rfind('/') + 1, 7);
  auto paste = json::parse(e.Http().Get("/api/v1/paste?shortlink=" + link)->body);
  CHECK(paste["expiration_length_in_minutes"] == 2 * 24 * 60);
  auto page = e.Http().Get("/" + link, httplib::Headers{{"Accept", "text/html"}});
  CHECK_THAT(page->body, Catch::Contains("data-lang=\"py\""));
}

TEST_CASE("cmd | nc pastes over TCP when tcp_listen is set") {
  if (!HaveProgram("nc")) SkipTest("nc is not installed (netcat-openbsd)");
  E2e e({"--tcp-listen", "127.0.0.1:0"});
  std::smatch m;
  std::string log = e.daemon.log();
  REQUIRE(std::regex_search(log, m, std::regex(R"(taking pastes over TCP on 127\.0\.0\.1:(\d+))")));
  std::string port = m[1];
  // nc -N half-closes at the end of input: the URL comes back at once.
  auto quick = Run({"/usr/bin/env", "nc", "-N", "127.0.0.1", port}, "over tcp\nline 2\n");
  REQUIRE(std::regex_match(quick.out, kUrlLine));
  CHECK(Fetch(e, quick.out) == "over tcp\nline 2\n");
  // Plain nc never half-closes: the server's idle timeout ends the paste.
  auto plain = Run({"/usr/bin/env", "nc", "127.0.0.1", port}, "plain nc");
  REQUIRE(std::regex_match(plain.out, kUrlLine));
  CHECK(Fetch(e, plain.out) == "plain nc");
  // Refusals are an error line, and store nothing.
  auto binary = Run({"/usr/bin/env", "nc", "-N", "127.0.0.1", port}, std::string("a\0b", 3));
  CHECK(binary.out ==
        "error: paste contains a NUL byte at offset 1; only text can be pasted (binary data "
        "is refused)\n");
  CHECK(e.StoredBodies() == 2);
}

TEST_CASE("TCP pastes over the limit get an error line, never a truncation") {
  if (!HaveProgram("nc")) SkipTest("nc is not installed (netcat-openbsd)");
  E2e e({"--tcp-listen", "127.0.0.1:0", "--max-paste-bytes", "1K"});
  std::smatch m;
  std::string log = e.daemon.log();
  REQUIRE(std::regex_search(log, m, std::regex(R"(taking pastes over TCP on 127\.0\.0\.1:(\d+))")));
  auto r =
      Run({"/usr/bin/env", "nc", "-N", "127.0.0.1", std::string(m[1])}, std::string(5000, 'z'));
  CHECK(r.out ==
        "error: paste is larger than this server accepts (1024 bytes); nothing was "
        "stored\n");
  CHECK(e.StoredBodies() == 0);
}

TEST_CASE("reads through every client path count as visits") {
  RequireCurl();
  E2e e;
  auto r = Curl({"--data-binary", "@-", e.daemon.url() + "/documents"}, "counted");
  std::string k = json::parse(r.out)["key"];
  for (const char* prefix : {"/", "/raw/", "/share/", "/documents/"}) {
    REQUIRE(Curl({"-f", e.daemon.url() + prefix + k}).exit_code == 0);
  }
  auto stats = json::parse(e.Admin().Get("/api/v1/admin/stats")->body);
  REQUIRE(stats["months"].size() == 1);
  CHECK(stats["months"][0]["total_visits"] == 4);
}

}  // namespace
}  // namespace pastebin::testing
