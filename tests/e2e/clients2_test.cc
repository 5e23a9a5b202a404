// Other pastebins' clients, unmodified, against a real pasted: pastebin.com's
// API as the npm libraries pastebin-api and pastebin-js send it (over
// pasted's own TLS for pastebin-api, which speaks HTTPS only), pastebinit
// with each config Debian ships for a service pasted now serves, and
// wgetpaste's requests for 0x0, ix.io and dpaste replayed byte for byte by
// wget as wgetpaste runs it. ASCII, UTF-8 with CRLF, and 1 MiB inputs; the
// link each prints is the paste's, and /raw/KEY gives the bytes back.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/e2e/fixture.h"
#include "tests/support/raw_http.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

// The three inputs every client sends.
struct Inputs {
  explicit Inputs(const TempDir& dir) {
    std::string big;
    for (int i = 0; big.size() < (1 << 20); ++i) {
      big += "line " + std::to_string(i) + " of a log, with some words in it\n";
    }
    big.resize(1 << 20);
    big.back() = '\n';
    texts = {"plain ascii text\nsecond line\n", "ünïcödé ✓ with CRLF\r\nnext line\r\n", big};
    for (size_t i = 0; i < texts.size(); ++i) {
      files.push_back(dir / ("input-" + std::to_string(i) + ".txt"));
      WriteFile(files.back(), texts[i]);
    }
  }
  std::vector<std::string> texts, files;
};

std::string KeyOf(const std::string& url) {
  std::string u = url;
  while (!u.empty() && (u.back() == '\n' || u.back() == '\r' || u.back() == '/')) u.pop_back();
  return u.substr(u.rfind('/') + 1);
}

// The expiry a paste was given, in minutes (0: never).
int64_t ExpiryOf(E2e& e, const std::string& key) {
  auto r = e.Http().Get("/api/v1/paste?shortlink=" + key);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body)["expiration_length_in_minutes"];
}

std::string Raw(E2e& e, const std::string& key) {
  auto r = e.Http().Get("/raw/" + key);
  REQUIRE(r);
  CHECK(r->status == 200);
  return r->body;
}

bool HaveClientLibraries() {
  return access((std::string(PASTEBIN_SOURCE_DIR) + "/tests/clients/node_modules/pastebin-api")
                    .c_str(),
                F_OK) == 0 &&
         HaveProgram("node");
}

std::vector<json> Node(const std::vector<std::string>& args,
                       std::map<std::string, std::string> env = {}) {
  std::vector<std::string> argv = {
      "/usr/bin/env", "node", std::string(PASTEBIN_SOURCE_DIR) + "/tests/clients/pastebin_com.mjs"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r = Run(argv, "", env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<json> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) out.push_back(json::parse(line));
  return out;
}

// A form body as application/x-www-form-urlencoded.
std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += name + "=";
    for (unsigned char c : value) {
      if (isalnum(c) || c == '-' || c == '_' || c == '.') {
        out += static_cast<char>(c);
      } else {
        char hex[4];
        snprintf(hex, sizeof(hex), "%%%02X", c);
        out += hex;
      }
    }
  }
  return out;
}

httplib::Result PostForm(E2e& e, const std::string& path, const std::string& body,
                         const std::string& type = "application/x-www-form-urlencoded") {
  return e.Http().Post(path.c_str(), body, type.c_str());
}

TEST_CASE("pastebin.com's API: the expiry codes, the refusals in its words, delete and raw.php") {
  E2e e({"--max-paste-bytes", "64K", "--max-expiry", "400d"});
  // Every expiry code, read back.
  const std::pair<const char*, int64_t> kCodes[] = {{"N", -1},     {"10M", 10},    {"1H", 60},
                                                    {"1D", 1440},  {"1W", 10080},  {"2W", 20160},
                                                    {"1M", 43200}, {"6M", 259200}, {"1Y", 525600}};
  for (const auto& [code, minutes] : kCodes) {
    INFO(code);
    auto r = PostForm(e, "/api/api_post.php",
                      Form({{"api_dev_key", "x"},
                            {"api_option", "paste"},
                            {"api_paste_code", "expires " + std::string(code)},
                            {"api_paste_expire_date", code}}));
    REQUIRE(r);
    if (minutes < 0) {  // N is never, which a server with a maximum refuses
      CHECK(r->status == 400);
      CHECK(r->body == "Bad API request, invalid api_paste_expire_date");
      continue;
    }
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/plain; charset=utf-8");
    REQUIRE(std::regex_match(r->body, std::regex(R"(http://127\.0\.0\.1:\d+/[A-Za-z0-9]{7})")));
    CHECK(ExpiryOf(e, KeyOf(r->body)) == minutes);
    CHECK(Raw(e, KeyOf(r->body)) == "expires " + std::string(code));
  }
  // Each refusal: a 4xx whose body starts "Bad API request, ".
  const std::string code = "api_paste_code=hi";
  const std::tuple<std::string, std::string, int, std::string> kRefused[] = {
      {"", "api_option=paste", 400, "api_paste_code was empty"},
      {"", "api_option=list&api_user_key=k", 400, "invalid api_option"},
      {"", code, 400, "invalid api_option"},
      {"", "api_option=paste&api_paste_private=2&" + code, 400, "invalid api_paste_private"},
      {"", "api_option=paste&api_paste_expire_date=1M0&" + code, 400,
       "invalid api_paste_expire_date"},
      {"", "api_option=paste&api_paste_expire_date=2Y&" + code, 400,
       "invalid api_paste_expire_date"},
      {"", "api_option=paste&api_user_key=abc&" + code, 403, "invalid api_user_key"},
      {"", "api_option=paste&api_folder_key=f&" + code, 403,
       "you can't add paste to folder as guest"},
      {"", "api_option=paste&api_paste_code=" + std::string(70000, 'x'), 413,
       "maximum paste file size exceeded"},
      {"", "api_option=paste&api_paste_code=%FF%FE", 415, "api_paste_code is not UTF-8 text"},
      {"text/plain", "api_option=paste&" + code, 415, "send a form"},
      {"", "api_option=paste&api_paste_code=" + std::string(400000, 'x'), 413,
       "request body of "},  // over the route's limit: refused before the handler
  };
  for (const auto& [type, body, status, message] : kRefused) {
    INFO(body.substr(0, 80));
    auto r = type.empty() ? PostForm(e, "/api/api_post.php", body)
                          : PostForm(e, "/api/api_post.php", body, type);
    REQUIRE(r);
    CHECK(r->status == status);
    CHECK_THAT(r->body, Catch::StartsWith("Bad API request, " + message));
  }
  // Formats are never refused; spaces as + or %20.
  auto plus = PostForm(e, "/api/api_post.php",
                       "api_option=paste&api_paste_format=no+such+format&api_paste_private=1&"
                       "api_paste_name=a+name&api_paste_code=two+words%20and%2Bplus");
  REQUIRE(plus->status == 200);
  CHECK(Raw(e, KeyOf(plus->body)) == "two words and+plus");
  // GET is refused as pastebin.com refuses it; login and a user's raw pastes too.
  auto get = e.Http().Get("/api/api_post.php");
  CHECK(get->status == 405);
  CHECK(get->body == "Bad API request, use POST request, not GET");
  auto login = PostForm(e, "/api/api_login.php", "api_user_name=a&api_user_password=b");
  CHECK(login->status == 403);
  CHECK(login->body == "Bad API request, invalid login");
  auto user_raw = PostForm(e, "/api/api_raw.php", "api_option=show_paste&api_paste_key=x");
  CHECK(user_raw->status == 403);
  CHECK(user_raw->body == "Bad API request, invalid api_user_key");
  // raw.php, and delete with the delete token as api_user_key.
  auto made = PostForm(e, "/api/api_post.php", "api_option=paste&api_paste_code=to+delete");
  std::string key = KeyOf(made->body), token = made->get_header_value("X-Delete-Token");
  CHECK(e.Http().Get("/raw.php?i=" + key)->body == "to delete");
  auto wrong = PostForm(e, "/api/api_post.php",
                        "api_option=delete&api_paste_key=" + key + "&api_user_key=nope");
  CHECK(wrong->status == 403);
  CHECK_THAT(wrong->body, Catch::StartsWith("Bad API request, invalid permission to remove"));
  auto removed = PostForm(e, "/api/api_post.php",
                          "api_option=delete&api_paste_key=" + key + "&api_user_key=" + token);
  CHECK(removed->status == 200);
  CHECK(removed->body == "Paste Removed");
  CHECK(e.Http().Get("/raw.php?i=" + key)->status == 404);
}

TEST_CASE("pastebin.com's API refuses in its words when the rate limit says no") {
  E2e e({"--rate-limit", "1", "--rate-limit-burst", "1"});
  REQUIRE(PostForm(e, "/api/api_post.php", "api_option=paste&api_paste_code=one")->status == 200);
  auto limited = PostForm(e, "/api/api_post.php", "api_option=paste&api_paste_code=two");
  CHECK(limited->status == 429);
  CHECK(!limited->get_header_value("Retry-After").empty());
  CHECK_THAT(limited->body, Catch::StartsWith("Bad API request, "));
}

TEST_CASE("pastebin.com's API refuses a body too slow to arrive in its words too") {
  E2e e({"--request-timeout", "1"});
  int fd = ConnectTo(e.daemon.port());
  REQUIRE(fd >= 0);
  // Half the body it announces, then nothing.
  REQUIRE(SendAll(fd,
                  "POST /api/api_post.php HTTP/1.1\r\nHost: x\r\nContent-Type: "
                  "application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
                  "api_option=paste&api_paste_code=hal"));
  std::string answer = ReadAll(fd);
  close(fd);
  CHECK(StatusOf(answer) == 408);
  CHECK_THAT(answer.substr(answer.find("\r\n\r\n") + 4), Catch::StartsWith("Bad API request, "));
}

TEST_CASE("pastebin-api from npm pastes over pasted's TLS and gets the paste's link") {
  if (!HaveClientLibraries()) SkipTest("tests/clients has no node_modules (./scripts/setup)");
  if (!HaveProgram("openssl")) SkipTest("needs openssl for a test certificate");
  TempDir certs;
  std::string cert = certs / "cert.pem", key = certs / "key.pem";
  REQUIRE(Run({"/usr/bin/env", "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
               "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext",
               "subjectAltName=IP:127.0.0.1"})
              .exit_code == 0);
  E2e e({"--tls-cert", cert, "--tls-key", key, "--max-paste-bytes", "2M"});
  Inputs in(e.dir);
  std::string host = "127.0.0.1:" + std::to_string(e.daemon.port());
  auto out = Node({"pastebin-api", host, "1W", in.files[0], in.files[1], in.files[2]},
                  {{"NODE_EXTRA_CA_CERTS", cert}});
  REQUIRE(out.size() == 3);
  httplib::SSLClient https("127.0.0.1", e.daemon.port());
  https.set_ca_cert_path(cert.c_str());
  for (size_t i = 0; i < 3; ++i) {
    INFO(out[i].dump().substr(0, 200));
    REQUIRE(out[i].contains("url"));
    std::string url = out[i]["url"];
    CHECK(std::regex_match(url, std::regex("https://" + host + "/[A-Za-z0-9]{7}")));
    auto raw = https.Get("/raw/" + KeyOf(url));
    REQUIRE(raw);
    CHECK(raw->body == in.texts[i]);
    auto paste = https.Get("/api/v1/paste?shortlink=" + KeyOf(url));
    CHECK(json::parse(paste->body)["expiration_length_in_minutes"] == 10080);
  }
  // Refusals reach it as refusals, not as a link: too big, a bad code.
  WriteFile(e.dir / "big.txt", std::string(3 << 20, 'x'));
  auto refused =
      Node({"pastebin-api", host, "1W", e.dir / "big.txt"}, {{"NODE_EXTRA_CA_CERTS", cert}});
  REQUIRE(refused.size() == 1);
  CHECK_THAT(refused[0].value("error", ""), Catch::StartsWith("Bad API request, "));
  auto bad_code = Node({"pastebin-api", host, "3D", in.files[0]}, {{"NODE_EXTRA_CA_CERTS", cert}});
  CHECK(bad_code[0].value("error", "") == "Bad API request, invalid api_paste_expire_date");
}

TEST_CASE("pastebin-js from npm pastes and reads back through raw.php") {
  if (!HaveClientLibraries()) SkipTest("tests/clients has no node_modules (./scripts/setup)");
  E2e e({"--max-paste-bytes", "2M"});
  Inputs in(e.dir);
  std::string host = "127.0.0.1:" + std::to_string(e.daemon.port());
  auto out = Node({"pastebin-js", host, "1D", in.files[0], in.files[1], in.files[2]});
  REQUIRE(out.size() == 6);
  for (size_t i = 0; i < 3; ++i) {
    INFO(out[2 * i].dump().substr(0, 200));
    REQUIRE(out[2 * i].contains("url"));
    std::string url = out[2 * i]["url"];
    CHECK(std::regex_match(url, std::regex("http://" + host + "/[A-Za-z0-9]{7}")));
    CHECK(out[2 * i + 1]["got"] == in.texts[i]);
    CHECK(Raw(e, KeyOf(url)) == in.texts[i]);
    CHECK(ExpiryOf(e, KeyOf(url)) == 1440);
  }
}

// Debian's pastebinit config for service, pointed at e (basename, and no
// https): the one edit a user makes.
std::string PointPastebinit(E2e& e, const std::string& service) {
  std::string host = "127.0.0.1:" + std::to_string(e.daemon.port());
  std::string conf = ReadFile("/usr/share/pastebin.d/" + service + ".conf");
  conf = std::regex_replace(conf, std::regex("basename = .*"), "basename = " + host);
  conf = std::regex_replace(conf, std::regex("https = True\n"), "");
  REQUIRE(system(("mkdir -p " + (e.dir / "home/.pastebin.d")).c_str()) == 0);
  WriteFile(e.dir / ("home/.pastebin.d/" + service + ".conf"), conf);
  return host;
}

TEST_CASE("pastebinit with each of Debian's configs prints the paste's link") {
  if (!HaveProgram("pastebinit")) SkipTest("pastebinit is not installed");
  // service, and the expiry its defaults ask for (minutes; 0: the server's).
  const std::pair<const char*, int64_t> kServices[] = {
      {"pastebin.com", 43200}, {"dpaste.com", 43200},       {"paste.centos.org", 43200},
      {"sprunge.us", 0},       {"paste.debian.net", 10080}, {"paste.ubuntu.com", 0},
      {"paste2.org", 0},       {"paste.ubuntu.org.cn", 0},  {"p.defau.lt", 0},
      {"paste.opendev.org", 0}};
  for (const auto& [service, minutes] : kServices) {
    E2e e({"--max-paste-bytes", "2M"});
    Inputs in(e.dir);
    std::string host = PointPastebinit(e, service);
    for (size_t i = 0; i < in.files.size(); ++i) {
      INFO(service << " input " << i);
      // (paste.debian.net's config needs a user name: USER, as a login
      // shell has it.)
      auto r = Run({"/usr/bin/pastebinit", "-b", host, "-i", in.files[i]}, "",
                   {{"HOME", e.dir / "home"}, {"USER", "tester"}});
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      // (LodgeIt's links are /show/KEY/, which pasted serves too.)
      REQUIRE(std::regex_match(
          r.out, std::regex(R"(http://127\.0\.0\.1:\d+/(show/)?[A-Za-z0-9]{7}/?\n)")));
      // pastebinit reads the file as text (CRLF becomes LF) and sends it
      // less its trailing whitespace.
      std::string sent = std::regex_replace(in.texts[i], std::regex("\r\n"), "\n");
      while (!sent.empty() && isspace(static_cast<unsigned char>(sent.back()))) sent.pop_back();
      CHECK(Raw(e, KeyOf(r.out)) == sent);
      CHECK(ExpiryOf(e, KeyOf(r.out)) == minutes);
    }
  }
}

TEST_CASE("a raw POST / is never read as a form unless pastebinit sends it") {
  E2e e;
  // curl --data-binary of text that looks like pastebinit's form: the
  // bytes are the paste.
  auto r = PostForm(e, "/", "content=not+a+form&syntax=text");
  REQUIRE(r->status == 201);
  CHECK(Raw(e, KeyOf(r->body)) == "content=not+a+form&syntax=text");
}

// wgetpaste's request as it runs it: wget with --post-file and its header.
RunResult Wgetpaste(const std::string& url, const std::string& boundary, const std::string& body,
                    const TempDir& dir) {
  std::string file = dir / "wgetpaste-post";
  WriteFile(file, body);
  return Run({"/usr/bin/env", "wget", "-q", "-O", "-",
              "--header=Content-Type: multipart/form-data; boundary=" + boundary,
              "--post-file=" + file, url});
}

TEST_CASE("wgetpaste's 0x0, ix.io and dpaste requests replayed by wget paste the bytes") {
  if (!HaveProgram("wget")) SkipTest("wget is not installed (./scripts/setup installs it)");
  E2e e({"--max-paste-bytes", "2M"});
  Inputs in(e.dir);
  for (size_t i = 0; i < in.texts.size(); ++i) {
    // wgetpaste reads its input with $(...), which drops trailing newlines,
    // and echo adds one line end before the closing delimiter.
    std::string content = in.texts[i];
    while (!content.empty() && content.back() == '\n') content.pop_back();
    INFO("input " << i);
    // 0x0 (POST_0x0): echo, so every line ends in LF alone.
    std::string b0 = "WGETPASTE-yuLr+iHOSQ+trEgDcj9UVq5R302bid";
    auto x0 = Wgetpaste(e.daemon.url(), b0,
                        "--" + b0 + "\nContent-Disposition: form-data; name=\"file\"; " +
                            "filename=\"input.txt\"\n\n" + content + "\n--" + b0 + "--\n",
                        e.dir);
    REQUIRE(x0.exit_code == 0);
    CHECK(Raw(e, KeyOf(x0.out)) == content);
    // ix.io (POST_ix_io): the field f:1.
    std::string bi = "WGETPASTE-f62efc3064678a57c6f442ca2f83ff";
    auto ix = Wgetpaste(e.daemon.url(), bi,
                        "--" + bi + "\nContent-Disposition: form-data; name=\"f:1\"\n\n" + content +
                            "\n--" + bi + "--\n",
                        e.dir);
    REQUIRE(ix.exit_code == 0);
    CHECK(Raw(e, KeyOf(ix.out)) == content);
    // dpaste (POST_dpaste): CRLF, to /api/v2/, expiry_days 1.
    std::string bd = "WGETPASTE-cK7MKXxfDNm87mXJzyX0kpKaCkiaQC";
    std::string dp = "--" + bd + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" +
                     "input.txt\r\n--" + bd +
                     "\r\nContent-Disposition: form-data; name=\"syntax\"\r\n\r\nBash\r\n--" + bd +
                     "\r\nContent-Disposition: form-data; name=\"expiry_days\"\r\n\r\n1\r\n--" +
                     bd + "\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\n" + content +
                     "\r\n--" + bd + "--\r\n";
    auto d = Wgetpaste(e.daemon.url() + "/api/v2/", bd, dp, e.dir);
    REQUIRE(d.exit_code == 0);
    // wgetpaste's REGEX_URL_dpaste: the line that starts with http.
    REQUIRE(std::regex_match(d.out, std::regex(R"(http://127\.0\.0\.1:\d+/[A-Za-z0-9]{7}\n)")));
    CHECK(Raw(e, KeyOf(d.out)) == content);
    CHECK(ExpiryOf(e, KeyOf(d.out)) == 1440);
    auto page = e.Http().Get("/" + KeyOf(d.out), httplib::Headers{{"Accept", "text/html"}});
    CHECK_THAT(page->body, Catch::Contains("data-lang=\"bash\""));  // syntax Bash
  }
  // dpaste's refusals are text.
  auto bad = PostForm(e, "/api/v2/", "content=x&expiry_days=400");
  CHECK(bad->status == 400);
  CHECK(bad->body == "error: expiry_days takes 1 to 365 (days)\n");
}

TEST_CASE("an over-size POST /documents answers in haste's shape") {
  E2e e({"--max-paste-bytes", "1K"});
  for (size_t size : {size_t{2000}, size_t{5 << 20}}) {
    auto r = e.Http().Post("/documents", std::string(size, 'h'), "text/plain");
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    auto j = json::parse(r->body);
    CHECK(j.size() == 1);
    CHECK_THAT(j["message"].get<std::string>(), Catch::Contains("larger than this server"));
  }
}

}  // namespace
}  // namespace pastebin::testing
