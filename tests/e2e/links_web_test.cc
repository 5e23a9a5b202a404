// Short links (pastebin shorten, /api/v1/link, redirects) and the web pages
// as an HTTP client sees them. The browser test is tests/browser.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "common/clock.h"
#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

TEST_CASE("pastebin shorten makes a link that redirects to the URL") {
  E2e e;
  std::string target = "https://example.org/some/page?q=1&lang=en#top";
  auto r = e.Cli({"shorten", target});
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::regex_match(r.out, std::regex(R"(http://127\.0\.0\.1:\d+/[A-Za-z0-9]{7}\n)")));
  std::string link = E2e::LinkOf(r.out);
  auto http = e.Http();
  auto redirect = http.Get("/" + link);
  REQUIRE(redirect);
  CHECK(redirect->status == 302);
  CHECK(redirect->get_header_value("Location") == target);
  // pastebin get prints where it goes; the JSON API says so too.
  CHECK(e.Cli({"get", link}).out == target + "\n");
  json view = json::parse(http.Get("/api/v1/link?shortlink=" + link)->body);
  CHECK(view["target"] == target);
  CHECK(view["shortlink"] == link);
  auto as_paste = http.Get("/api/v1/paste?shortlink=" + link);
  CHECK(as_paste->status == 404);
  CHECK(json::parse(as_paste->body)["error"]["message"] ==
        link + " is a short link, not a paste; see GET /api/v1/link?shortlink=" + link);
  // Owner delete works as for pastes.
  REQUIRE(e.Cli({"delete", link}).exit_code == 0);
  CHECK(http.Get("/" + link)->status == 404);
}

TEST_CASE("only absolute http and https URLs can be shortened") {
  E2e e;
  const char* kBad[] = {"javascript:alert(1)",
                        "ftp://example.org/x",
                        "example.org",
                        "/relative",
                        "http://",
                        "https://exa mple.org/",
                        "http://ex_am!ple/",
                        "data:text/html,<script>alert(1)</script>"};
  auto http = e.Http();
  for (const char* url : kBad) {
    INFO(url);
    auto cli = e.Cli({"shorten", url});
    CHECK(cli.exit_code == 2);
    CHECK_THAT(cli.err, Catch::StartsWith("pastebin: error: cannot shorten '"));
    auto api = http.Post("/api/v1/link", json{{"url", url}}.dump(), "application/json");
    CHECK(api->status == 400);
    CHECK_THAT(json::parse(api->body)["error"]["message"].get<std::string>(),
               Catch::StartsWith("cannot shorten"));
  }
  std::string huge = "https://example.org/" + std::string(3000, 'a');
  CHECK(http.Post("/api/v1/link", json{{"url", huge}}.dump(), "application/json")->status == 400);
  CHECK(e.StoredBodies() == 0);
  CHECK_THAT(e.Admin().Get("/metrics")->body, Catch::Contains("\npasted_pastes_stored 0\n"));
}

TEST_CASE("short links expire, are collected and counted like pastes") {
  TempDir clock_dir;
  int64_t now = SystemClock().NowSeconds();
  WriteFile(clock_dir / "now", std::to_string(now));
  E2e e({}, {{"PASTED_FAKE_CLOCK_FILE", clock_dir / "now"}});
  auto r = e.Cli({"shorten", "--expire", "1m", "https://example.org/"});
  std::string link = E2e::LinkOf(r.out);
  auto http = e.Http();
  CHECK(http.Get("/" + link)->status == 302);
  CHECK(http.Get("/" + link)->status == 302);
  WriteFile(clock_dir / "now", std::to_string(now + 60));
  CHECK(http.Get("/" + link)->status == 404);
  auto gc = json::parse(e.Cli({"gc", "--json"}).out);
  CHECK(gc["deleted"] == 1);
  auto admin = e.Admin();
  auto stats =
      json::parse(admin
                      .Get("/api/v1/admin/stats?month=" +
                           json::parse(admin.Get("/api/v1/admin/stats")->body)["months"][0]["month"]
                               .get<std::string>())
                      ->body);
  CHECK(stats["pastes"] == json::array({{{"shortlink", link}, {"visits", 2}}}));
}

TEST_CASE("browsers get pages, everyone else the raw bytes") {
  E2e e;
  std::string evil = "<script>alert('x')</script>\n<b>bold</b> & \"quotes\"\n";
  auto put = e.Cli({"put"}, evil);
  std::string link = E2e::LinkOf(put.out);
  auto http = e.Http();
  httplib::Headers browser = {{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}};

  auto page = http.Get(("/" + link).c_str(), browser);
  REQUIRE(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK_THAT(page->get_header_value("Content-Security-Policy"),
             Catch::Contains("script-src 'self'"));
  CHECK_THAT(page->get_header_value("Content-Security-Policy"),
             Catch::Contains("frame-ancestors 'none'"));
  CHECK(page->get_header_value("X-Frame-Options") == "DENY");
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK_THAT(page->body,
             Catch::Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\n&lt;b&gt;bold&lt;/"
                             "b&gt; &amp; &quot;quotes&quot;"));
  CHECK(page->body.find("<script>alert") == std::string::npos);
  CHECK(page->body.find("<script>") == std::string::npos);  // no inline script at all
  CHECK_THAT(page->body, Catch::Contains("href=\"/raw/" + link + "\""));
  CHECK_THAT(page->body, Catch::Contains("href=\"/\">new paste"));

  // Not a browser, or asking for raw: the bytes, unchanged.
  CHECK(http.Get("/" + link)->body == evil);
  CHECK(http.Get(("/" + link + "?raw").c_str(), browser)->body == evil);
  auto raw = http.Get(("/raw/" + link).c_str(), browser);
  CHECK(raw->body == evil);
  CHECK(raw->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  CHECK(raw->get_header_value("Content-Security-Policy") == "default-src 'none'; sandbox");

  auto home = http.Get("/", browser);
  REQUIRE(home->status == 200);
  CHECK_THAT(home->body, Catch::Contains("<form id=\"new\" method=\"post\" action=\"/form\">"));
  CHECK_THAT(home->body, Catch::Contains("<textarea id=\"content\" name=\"content\""));
  CHECK_THAT(home->body, Catch::Contains("<option value=\"never\" selected>never</option>"));
  auto usage = http.Get("/");
  CHECK_THAT(usage->body, Catch::Contains("curl --data-binary @- " + e.daemon.url() + "/"));
  auto css = http.Get("/static/app.css");
  CHECK(css->status == 200);
  CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
  CHECK(http.Get("/static/app.js")->status == 200);
  CHECK(http.Get("/static/nope.js")->status == 404);
}

TEST_CASE("the form shows the new paste's link and delete token and deletes it") {
  E2e e;
  auto http = e.Http();
  httplib::Headers browser = {{"Accept", "text/html"}};
  auto r = http.Post("/form", browser, "content=line+one%0D%0Aline+two&expire=1h",
                     "application/x-www-form-urlencoded");
  // See other: the created page, the token in the fragment (never sent
  // back), so that reloading it posts nothing again.
  REQUIRE(r->status == 303);
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  std::string token = r->get_header_value("X-Delete-Token");
  REQUIRE(std::regex_match(token, std::regex("[0-9a-f]{32}")));
  std::smatch m;
  std::string location = r->get_header_value("Location");
  REQUIRE(std::regex_match(
      location, m,
      std::regex(R"((http://127\.0\.0\.1:\d+)/created/([A-Za-z0-9]{7})#token=([0-9a-f]{32}))")));
  std::string base = m[1], link = m[2];
  CHECK(m[3] == token);
  // The page (what a reload gets too): the link, a place for the token
  // app.js fills from the address, a delete form asking for it without
  // scripts, and the paste as its page shows it. The server never had the
  // token to put in it.
  for (int reload = 0; reload < 2; ++reload) {
    auto page = http.Get("/created/" + link, browser);
    REQUIRE(page->status == 200);
    CHECK(page->get_header_value("Cache-Control") == "no-store");
    CHECK_THAT(page->body, Catch::Contains("<a id=\"url\" href=\"" + base + "/" + link + "\">"));
    CHECK_THAT(page->body, Catch::Contains("<code id=\"token\"></code>"));
    CHECK_THAT(page->body, Catch::Contains("<input name=\"token\" required"));
    CHECK_THAT(page->body, Catch::Contains("<noscript>"));
    CHECK_THAT(page->body, !Catch::Contains(token));
    CHECK_THAT(page->body, Catch::Contains("<pre class=\"gutter d1\"><span id=\"L1\">1</span>"));
    CHECK_THAT(page->body, Catch::Contains("line one\r\nline two"));
    CHECK_THAT(page->body, Catch::Contains("id=\"copy-link\""));
  }
  auto view = json::parse(http.Get("/api/v1/paste?shortlink=" + link)->body);
  CHECK(view["expiration_length_in_minutes"] == 60);
  CHECK(http.Get("/" + link)->body == "line one\r\nline two");
  CHECK(http.Get("/created/Nope123", browser)->status == 404);

  // The button: a wrong token changes nothing, the right one deletes.
  auto wrong = http.Post("/form/delete", browser, "shortlink=" + link + "&token=00",
                         "application/x-www-form-urlencoded");
  CHECK(wrong->status == 403);
  CHECK_THAT(wrong->body, Catch::Contains("<h2 id=\"error\">Not allowed</h2>"));
  CHECK(http.Get("/" + link)->status == 200);
  auto del = http.Post("/form/delete", browser, "shortlink=" + link + "&token=" + token,
                       "application/x-www-form-urlencoded");
  CHECK(del->status == 200);
  CHECK_THAT(del->body, Catch::Contains("id=\"deleted\">Paste " + link + " is deleted"));
  CHECK(http.Get("/" + link)->status == 404);
  // Without a browser's Accept, a line.
  auto again = http.Post("/form/delete", "shortlink=" + link + "&token=" + token,
                         "application/x-www-form-urlencoded");
  CHECK(again->status == 404);
  CHECK_THAT(again->body, Catch::StartsWith("error: paste " + link));
}

TEST_CASE("the CLI takes a page's address: /raw/X, and the created page's with its token") {
  E2e e;
  auto http = e.Http();
  auto r = http.Post("/form", {{"Accept", "text/html"}}, "content=from+the+form",
                     "application/x-www-form-urlencoded");
  REQUIRE(r->status == 303);
  std::string created = r->get_header_value("Location");  // .../created/X#token=T
  std::string link = created.substr(created.find("/created/") + 9, 7);
  auto got = e.Cli({"get", e.daemon.url() + "/raw/" + link});
  CHECK(got.exit_code == 0);
  CHECK(got.out == "from the form");
  CHECK(e.Cli({"get", created}).out == "from the form");  // the token is no key
  auto del = e.Cli({"delete", created});
  CHECK(del.exit_code == 0);
  CHECK_THAT(del.err, Catch::Contains("use PASTEBIN_DELETE_TOKEN instead"));
  CHECK(http.Get("/" + link)->status == 404);
}

TEST_CASE("browsers get an HTML page for every error and API clients JSON") {
  E2e e({"--max-paste-bytes", "16"});
  auto http = e.Http();
  httplib::Headers browser = {{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}};
  struct Case {
    std::string method, path, body;
    int status;
    std::string headline;
  };
  for (const Case& c :
       std::vector<Case>{{"GET", "/Nope123", "", 404, "Not found"},
                         {"GET", "/api/v1/paste?shortlink=Nope123", "", 404, "Not found"},
                         {"GET", "/no/such/route", "", 404, "Not found"},
                         {"PUT", "/", "", 405, "Method not allowed"},
                         {"POST", "/form", "content=" + std::string(40, 'x'), 413, "Too large"},
                         {"POST", "/form", "content=%00", 415, "Not text"},
                         {"GET", "/api/v1/admin/stats", "", 403, "Not allowed"}}) {
    INFO(c.method << " " << c.path);
    httplib::Request req;
    req.method = c.method;
    req.path = c.path;
    req.headers = browser;
    if (!c.body.empty()) {
      req.body = c.body;
      req.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    }
    auto page = http.send(req);
    REQUIRE(page);
    CHECK(page->status == c.status);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK_THAT(page->body, Catch::StartsWith("<!doctype html>"));
    CHECK_THAT(page->body, Catch::Contains("<h2 id=\"error\">" + c.headline + "</h2>"));
    CHECK_THAT(page->get_header_value("Content-Security-Policy"),
               Catch::Contains("default-src 'none'"));
    // The same request from an API client: JSON, as ever.
    req.headers = {{"Accept", "application/json"}};
    if (!c.body.empty()) req.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    auto api = http.send(req);
    REQUIRE(api);
    CHECK(api->status == c.status);
    CHECK(api->get_header_value("Content-Type") != "text/html; charset=utf-8");
  }
  // What a paste says is escaped on the page, never markup.
  auto odd = http.Get("/%3Cb%3E12", browser);
  CHECK(odd->body.find("<b>") == std::string::npos);
}

TEST_CASE("robots.txt keeps crawlers off pastes and favicon.ico is an icon") {
  E2e e;
  auto http = e.Http();
  auto robots = http.Get("/robots.txt");
  REQUIRE(robots->status == 200);
  CHECK(robots->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  // The front page (and what it loads) only, said in the plain syntax
  // crawlers and Lighthouse read; the pages say noindex as well.
  CHECK_THAT(robots->body, Catch::EndsWith("User-agent: *\nAllow: /$\nAllow: /static/\n"
                                           "Allow: /favicon.ico\nDisallow: /\n"));
  auto icon = http.Get("/favicon.ico");
  REQUIRE(icon->status == 200);
  CHECK(icon->get_header_value("Content-Type") == "image/x-icon");
  // An ICO: reserved 0, type 1, one 16x16 32-bit image right after the
  // directory, its size as the file's rest.
  const std::string& b = icon->body;
  REQUIRE(b.size() > 22);
  CHECK(b.compare(0, 6, std::string("\0\0\1\0\1\0", 6)) == 0);
  CHECK(b[6] == 16);
  CHECK(b[7] == 16);
  auto le32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
           static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
  };
  CHECK(le32(14) == b.size() - 22);
  CHECK(le32(18) == 22);
  CHECK(le32(22) == 40);  // BITMAPINFOHEADER
  // Neither is a paste, nor a visit.
  CHECK(e.Cli({"stats"}).out.find("no visits yet") == 0);
}

TEST_CASE("a paste page numbers its lines and names its language and raw stays raw") {
  E2e e;
  WriteFile(e.dir / "f.py", "def f(x):\n    return x + 1\n\nprint(f(2))\n");
  auto put = e.Cli({"put", e.dir / "f.py"});
  REQUIRE(put.exit_code == 0);
  std::string url = put.out.substr(0, put.out.size() - 1);
  std::string link = E2e::LinkOf(put.out);
  auto http = e.Http();
  httplib::Headers browser = {{"Accept", "text/html"}};
  // The file's extension is the language put names.
  auto page = http.Get("/" + link, browser);
  REQUIRE(page->status == 200);
  CHECK_THAT(
      page->body,
      Catch::Contains("<pre id=\"paste\" data-lang=\"py\" data-size=\"40\"><code>def f(x):"));
  // Numbered, each an anchor, none a link (too small a target to tap).
  CHECK_THAT(page->body, Catch::Contains("<span id=\"L4\">4</span>"));
  CHECK(page->body.find("href=\"#L") == std::string::npos);
  // Its head: a description, noindex (only the front page is for crawlers).
  CHECK_THAT(page->body, Catch::Contains("<meta name=\"description\" content=\"Paste " + link +
                                         " on pastebin: 4 lines, 40 B.\">"));
  CHECK_THAT(page->body, Catch::Contains("<meta name=\"robots\" content=\"noindex\">"));
  CHECK(http.Get("/", browser)->body.find("noindex") == std::string::npos);
  CHECK(page->body.find("id=\"L5\"") == std::string::npos);
  CHECK_THAT(page->body, Catch::Contains("download=\"" + link + ".py\""));
  // highlight.js runs in a worker, never on the page's thread: the page
  // loads its colours and app.js, which starts /static/hl-worker.js.
  CHECK(page->body.find("<script src=\"/static/highlight.js\"></script>") == std::string::npos);
  // Assets by versioned addresses, which may be kept a year; the worker's
  // and highlight.js's versions ride on app.js's tag.
  std::smatch m;
  REQUIRE(std::regex_search(
      page->body, m,
      std::regex(
          "<link rel=\"stylesheet\" href=\"/static/highlight.css\\?v=[0-9a-f]{12}\">[\\s\\S]*"
          "<script src=\"(/static/app.js\\?v=[0-9a-f]{12})\" data-worker=\""
          "(/static/hl-worker.js\\?v=[0-9a-f]{12})&amp;hl=([0-9a-f]{12})\"></script>")));
  std::string app = m[1], worker_url = m[2], hl = m[3];
  auto versioned = http.Get(app);
  REQUIRE(versioned->status == 200);
  CHECK(versioned->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
  CHECK_THAT(versioned->body, Catch::Contains("new Worker(kWorker"));
  CHECK(http.Get("/static/app.js?v=000000000000")->get_header_value("Cache-Control") ==
        "public, max-age=3600");  // another build's: not kept long
  auto worker = http.Get(worker_url);
  REQUIRE(worker->status == 200);
  CHECK(worker->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  CHECK_THAT(worker->body, Catch::Contains("importScripts(\"/static/highlight.js?v=\""));
  CHECK(http.Get("/static/highlight.js?v=" + hl)->get_header_value("Cache-Control") ==
        "public, max-age=31536000, immutable");
  // Pages go gzipped to a browser that takes it, with their own validator.
  auto identity = http.Get("/" + link, browser);
  httplib::Headers gzip_browser = {{"Accept", "text/html"}, {"Accept-Encoding", "gzip"}};
  auto zipped = http.Get("/" + link, gzip_browser);
  REQUIRE(zipped->status == 200);
  CHECK(zipped->get_header_value("Content-Encoding") == "gzip");
  CHECK(zipped->body == identity->body);  // httplib unzips it
  CHECK(zipped->get_header_value("ETag") != identity->get_header_value("ETag"));
  httplib::Headers again = gzip_browser;
  again.emplace("If-None-Match", zipped->get_header_value("ETag"));
  CHECK(http.Get("/" + link, again)->status == 304);
  // The link's extension, then ?lang=, name another.
  CHECK_THAT(http.Get("/" + link + ".rb", browser)->body, Catch::Contains("data-lang=\"rb\""));
  CHECK_THAT(http.Get("/" + link + ".rb?lang=cpp", browser)->body,
             Catch::Contains("data-lang=\"cpp\""));
  // Raw is raw, whatever the extension: curl, the CLI, /raw/X.py.
  std::string bytes = "def f(x):\n    return x + 1\n\nprint(f(2))\n";
  CHECK(http.Get("/" + link + ".py")->body == bytes);
  CHECK(http.Get("/raw/" + link + ".py")->body == bytes);
  CHECK(e.Cli({"get", url + ".py"}).out == bytes);
  // --lang for stdin; a bad one is refused before anything is sent.
  auto sh = e.Cli({"put", "--lang", "SH"}, "echo hi\n");  // any case
  CHECK_THAT(http.Get("/" + E2e::LinkOf(sh.out), browser)->body,
             Catch::Contains("data-lang=\"sh\""));
  auto bad = e.Cli({"put", "--lang", "Py thon"}, "x");
  CHECK(bad.exit_code == 2);
  auto api = http.Post("/api/v1/paste", R"({"paste_contents": "x", "language": "no good"})",
                       "application/json");
  CHECK(api->status == 400);
  // Without a language, none is named: highlight.js guesses in the browser.
  auto plain = e.Cli({"put"}, "just words\n");
  CHECK(http.Get("/" + E2e::LinkOf(plain.out), browser)->body.find("data-lang") ==
        std::string::npos);
  // highlight.js and its styles are pasted's own, under the pages' policy.
  auto js = http.Get("/static/highlight.js");
  CHECK(js->status == 200);
  CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  CHECK_THAT(js->body, Catch::Contains("hljs"));
  CHECK(http.Get("/static/highlight.css")->status == 200);
  // Gzipped to whoever takes it (846 KB to about a third), the same bytes.
  if (HaveProgram("curl")) {
    auto head = Run({"/usr/bin/env", "curl", "-s", "-D", "-", "-o", "/dev/null", "-H",
                     "Accept-Encoding: gzip", e.daemon.url() + "/static/highlight.js"});
    CHECK_THAT(head.out, Catch::Contains("Content-Encoding: gzip\r\n"));
    CHECK_THAT(head.out, Catch::Contains("Vary: Accept-Encoding\r\n"));
    std::smatch m;
    REQUIRE(std::regex_search(head.out, m, std::regex("Content-Length: (\\d+)")));
    CHECK(std::stoul(m[1]) < js->body.size() / 2);
    auto unzipped = Run(
        {"/usr/bin/env", "curl", "-s", "--compressed", e.daemon.url() + "/static/highlight.js"});
    CHECK(unzipped.out == js->body);
  }
  CHECK_THAT(page->get_header_value("Content-Security-Policy"),
             Catch::Contains("script-src 'self'"));
  // X.py is a visit of X.
  CHECK_THAT(e.Cli({"stats", "--month", ThisMonth()}).out, Catch::Contains(link));
}

}  // namespace
}  // namespace pastebin::testing

namespace pastebin::testing {
namespace {

TEST_CASE("a trailing slash is redirected to the paste and an unknown page is told to a visitor") {
  E2e e;
  std::string link = E2e::LinkOf(e.Cli({"put"}, "slashed\n").out);
  auto http = e.Http();
  for (const std::string& path : {"/" + link + "/", "/raw/" + link + "/", "/" + link + ".py/"}) {
    INFO(path);
    auto r = http.Get(path);
    REQUIRE(r);
    CHECK(r->status == 301);
    std::string want = path.substr(0, path.size() - 1);
    CHECK(r->get_header_value("Location") == want);
  }
  CHECK(http.Get("/raw/" + link + "/?x=1")->get_header_value("Location") ==
        "/raw/" + link + "?x=1");
  // The CLI takes such a URL as it is.
  CHECK(e.Cli({"get", e.daemon.url() + "/" + link + "/"}).out == "slashed\n");
  // Unknown: a browser is told there is no such page; an API client where the API is.
  auto page = http.Get("/no/such/page", httplib::Headers{{"Accept", "text/html"}});
  CHECK(page->status == 404);
  CHECK_THAT(page->body, Catch::Contains("there is no page at /no/such/page"));
  CHECK(page->body.find("pasted(8)") == std::string::npos);
  auto api = http.Get("/no/such/page");
  CHECK(api->status == 404);
  CHECK_THAT(api->body, Catch::Contains("see pasted(8) for the API"));
  // A POST with a slash too many is not moved (a redirect would lose it).
  CHECK(http.Post("/api/v1/paste/", "{}", "application/json")->status == 404);
}

}  // namespace
}  // namespace pastebin::testing
