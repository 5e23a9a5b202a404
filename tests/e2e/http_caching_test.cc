// HTTP caching against a real pasted, driven by curl as browsers, CDNs and
// download tools drive it: validators and 304s, max-age bounded by expiry,
// byte ranges and resumed downloads, compressed answers.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"

namespace pastebin::testing {
namespace {

struct CurlAnswer {
  int status = 0;
  std::string headers;     // the last response's head
  std::string body;        // as written by curl (decoded with --compressed)
  int64_t downloaded = 0;  // bytes on the wire, before decoding

  // The value of the first header field with this name ("" if none).
  std::string Header(const std::string& name) const {
    std::smatch m;
    std::regex re("(?:^|\\r\\n)" + name + ": ([^\\r]*)\\r\\n", std::regex::icase);
    return std::regex_search(headers, m, re) ? m[1].str() : "";
  }
};

// curl args... URL, keeping what came back.
CurlAnswer CurlFor(E2e& e, std::vector<std::string> args, const std::string& path) {
  if (!HaveProgram("curl")) SkipTest("curl is not installed");
  std::string head = e.dir / "head", out = e.dir / "out";
  std::vector<std::string> argv = {
      "/usr/bin/env", "curl", "-sS", "-D", head, "-o", out, "-w", "%{http_code} %{size_download}"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(e.daemon.url() + path);
  RunResult r = Run(argv);
  REQUIRE(r.exit_code == 0);
  CurlAnswer a;
  std::istringstream w(r.out);
  w >> a.status >> a.downloaded;
  a.headers = ReadFile(head);
  a.body = std::filesystem::exists(out) ? ReadFile(out) : "";
  std::filesystem::remove(out);
  return a;
}

std::string Put(E2e& e, const std::string& body, std::vector<std::string> flags = {}) {
  flags.insert(flags.begin(), "put");
  auto r = e.Cli(flags, body);
  REQUIRE(r.exit_code == 0);
  return E2e::LinkOf(r.out);
}

// A build log of about 100 KB: lines much alike, as logs are.
std::string BuildLog() {
  std::string log;
  for (int i = 0; log.size() < 100000; ++i) {
    log += "[" + std::to_string(1000 + i) +
           "/2400] Building CXX object daemon/CMakeFiles/"
           "pastebin_daemon.dir/unit_" +
           std::to_string(i % 97) + ".cc.o\n";
    if (i % 50 == 0) log += "warning: unused variable 'x' [-Wunused-variable]\n";
  }
  return log;
}

TEST_CASE("a paste carries validators, and curl revalidating it gets 304 without the body") {
  E2e e;
  std::string link = Put(e, "cache me\n");
  CurlAnswer first = CurlFor(e, {}, "/" + link);
  REQUIRE(first.status == 200);
  CHECK(first.body == "cache me\n");
  std::string etag = first.Header("ETag");
  CHECK(std::regex_match(etag, std::regex("\"[0-9a-f]{32}\"")));
  CHECK(first.Header("Cache-Control") == "public, max-age=3600, immutable");
  CHECK(first.Header("Accept-Ranges") == "bytes");
  CHECK(first.Header("Vary") == "Accept, Accept-Encoding");
  std::string modified = first.Header("Last-Modified");
  CHECK(std::regex_match(modified, std::regex("\\w{3}, \\d\\d \\w{3} \\d{4} [\\d:]{8} GMT")));

  // The same bytes elsewhere have the same tag; other bytes another.
  CHECK(CurlFor(e, {}, "/raw/" + Put(e, "cache me\n")).Header("ETag") == etag);
  CHECK(CurlFor(e, {}, "/raw/" + Put(e, "cache me!\n")).Header("ETag") != etag);

  for (const std::string& path : {"/" + link, "/raw/" + link, "/share/" + link}) {
    CurlAnswer again = CurlFor(e, {"-H", "If-None-Match: " + etag}, path);
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.Header("ETag") == etag);
    CHECK(again.Header("Content-Length").empty());
  }
  CHECK(CurlFor(e, {"-H", "If-None-Match: \"x\", W/" + etag}, "/" + link).status == 304);
  CHECK(CurlFor(e, {"-H", "If-None-Match: \"other\""}, "/" + link).status == 200);
  // By date (sent by hand: curl -z would judge the date itself too).
  CHECK(CurlFor(e, {"-H", "If-Modified-Since: " + modified}, "/" + link).status == 304);
  CHECK(CurlFor(e, {"-H", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT"}, "/" + link).status ==
        200);
  CHECK(CurlFor(e, {"-H", "If-Modified-Since: not a date"}, "/" + link).status == 200);
  // An If-None-Match that fails wins over a date that would match.
  CHECK(CurlFor(e, {"-H", "If-Modified-Since: " + modified, "-H", "If-None-Match: \"other\""},
                "/" + link)
            .status == 200);

  // The HTML view and the JSON view are other representations: own tags.
  CurlAnswer page = CurlFor(e, {"-H", "Accept: text/html"}, "/" + link);
  REQUIRE(page.status == 200);
  std::string page_tag = page.Header("ETag");
  CHECK(page_tag != etag);
  CHECK(CurlFor(e, {"-H", "Accept: text/html", "-H", "If-None-Match: " + page_tag}, "/" + link)
            .status == 304);
  CurlAnswer api = CurlFor(e, {}, "/api/v1/paste?shortlink=" + link);
  CHECK(api.Header("ETag") != etag);
  CHECK(
      CurlFor(e, {"-H", "If-None-Match: " + api.Header("ETag")}, "/api/v1/paste?shortlink=" + link)
          .status == 304);
}

TEST_CASE("a paste's ETag is its bytes' digest whether stored inline or as a file", "[sqlite]") {
  // Letters that do not compress to under 1K.
  std::string body;
  uint32_t x = 12345;
  for (int i = 0; i < 6000; ++i) {
    x = x * 1103515245 + 12345;
    body += static_cast<char>('a' + (x >> 16) % 26);
  }
  E2e inline_store;
  E2e file_store({"--inline-max-bytes", "1K"});
  std::string a = Put(inline_store, body), b = Put(file_store, body);
  REQUIRE(BodyFiles(file_store.dir / "data").size() == 1);
  REQUIRE(BodyFiles(inline_store.dir / "data").empty());
  std::string etag = CurlFor(inline_store, {}, "/" + a).Header("ETag");
  CHECK(etag.size() == 34);
  CHECK(CurlFor(file_store, {}, "/" + b).Header("ETag") == etag);
  // Restarted, with nothing cached, the file's tag comes from its row.
  file_store.daemon.Stop();
  file_store.daemon.Start();
  CHECK(CurlFor(file_store, {}, "/" + b).Header("ETag") == etag);
}

TEST_CASE("max-age never outlives a paste's expiry") {
  TempDir clock_dir;
  int64_t now = 1800000000;
  WriteFile(clock_dir / "now", std::to_string(now));
  E2e e({"--max-age", "3600"}, {{"PASTED_FAKE_CLOCK_FILE", clock_dir / "now"}});
  std::string brief = Put(e, "gone soon\n", {"--expire", "10m"});
  CHECK(CurlFor(e, {}, "/" + brief).Header("Cache-Control") == "public, max-age=600, immutable");
  WriteFile(clock_dir / "now", std::to_string(now + 9 * 60 + 30));
  CHECK(CurlFor(e, {}, "/" + brief).Header("Cache-Control") == "public, max-age=30, immutable");
  // Revalidating an expired paste finds it gone.
  std::string etag = CurlFor(e, {}, "/" + brief).Header("ETag");
  WriteFile(clock_dir / "now", std::to_string(now + 10 * 60));
  CHECK(CurlFor(e, {"-H", "If-None-Match: " + etag}, "/" + brief).status == 404);

  E2e never_cached({"--max-age", "0"});
  CHECK(CurlFor(never_cached, {}, "/" + Put(never_cached, "x\n")).Header("Cache-Control") ==
        "no-cache");
}

TEST_CASE("curl -r gets byte ranges, and curl -C - resumes a download") {
  E2e e;
  std::string body;
  for (int i = 0; i < 3000; ++i) body += "row " + std::to_string(i) + "\n";
  std::string link = Put(e, body);
  CurlAnswer part = CurlFor(e, {"-r", "4-11"}, "/raw/" + link);
  CHECK(part.status == 206);
  CHECK(part.body == body.substr(4, 8));
  CHECK(part.Header("Content-Range") == "bytes 4-11/" + std::to_string(body.size()));
  CHECK(part.Header("Content-Encoding").empty());
  CHECK(CurlFor(e, {"-r", "-6"}, "/" + link).body == body.substr(body.size() - 6));
  // Past the end: 416 with the size, nothing of the paste.
  CurlAnswer beyond = CurlFor(e, {"-r", std::to_string(body.size()) + "-"}, "/" + link);
  CHECK(beyond.status == 416);
  CHECK(beyond.Header("Content-Range") == "bytes */" + std::to_string(body.size()));
  CHECK(beyond.body ==
        "range not satisfiable: the paste has " + std::to_string(body.size()) + " bytes\n");
  // Several ranges at once: the whole paste, as RFC 9110 allows.
  CHECK(CurlFor(e, {"-r", "0-1,5-6"}, "/" + link).body == body);
  // If-Range with this paste's tag keeps the range; another tag gets it all.
  std::string etag = part.Header("ETag");
  CHECK(CurlFor(e, {"-r", "0-3", "-H", "If-Range: " + etag}, "/" + link).status == 206);
  CurlAnswer changed = CurlFor(e, {"-r", "0-3", "-H", "If-Range: \"other\""}, "/" + link);
  CHECK(changed.status == 200);
  CHECK(changed.body == body);

  // A download cut short, resumed where it stopped.
  std::string file = e.dir / "download.txt";
  WriteFile(file, body.substr(0, 5000));
  RunResult resume =
      Run({"/usr/bin/env", "curl", "-sS", "-C", "-", "-o", file, e.daemon.url() + "/raw/" + link});
  REQUIRE(resume.exit_code == 0);
  CHECK(ReadFile(file) == body);
}

TEST_CASE("a 100 KB build log takes a fraction on disk and travels compressed") {
  E2e e;
  std::string log = BuildLog();
  std::string link = Put(e, log);
  int64_t stored = e.StoredBytes();
  INFO("stored " << stored << " of " << log.size());
  CHECK(stored * 10 < static_cast<int64_t>(log.size()));
  // pastebin stats says so, as /metrics does.
  auto stats = e.Cli({"stats"});
  CHECK(std::regex_match(stats.out, std::regex("no visits yet\nstored: 1 paste, 100\\.\\d KB "
                                               "pasted, \\d\\.\\d KB after compression "
                                               "\\([1-9]%\\)\n")));
  auto json_stats = nlohmann::json::parse(e.Cli({"stats", "--json"}).out);
  CHECK(json_stats["storage"]["bytes_pasted"] == log.size());
  CHECK(json_stats["storage"]["bytes_stored"] == stored);

  // curl --compressed asks for zstd among others: the stored bytes.
  CurlAnswer z = CurlFor(e, {"--compressed"}, "/raw/" + link);
  CHECK(z.status == 200);
  CHECK(z.Header("Content-Encoding") == "zstd");
  CHECK(z.body == log);
  CHECK(z.downloaded == stored);
  std::string ztag = z.Header("ETag");
  CHECK(std::regex_match(ztag, std::regex("\"[0-9a-f]{32}\\.zst\"")));
  CHECK(CurlFor(e, {"--compressed", "-H", "If-None-Match: " + ztag}, "/raw/" + link).status == 304);
  // A client without zstd gets gzip, twice (the second from the cache).
  for (int i = 0; i < 2; ++i) {
    CurlAnswer g = CurlFor(e, {"--compressed", "-H", "Accept-Encoding: gzip"}, "/" + link);
    CHECK(g.Header("Content-Encoding") == "gzip");
    CHECK(g.body == log);
    CHECK(g.downloaded * 5 < static_cast<int64_t>(log.size()));
  }
  // One that names none, or refuses both, gets the bytes as they are.
  CurlAnswer plain = CurlFor(e, {}, "/" + link);
  CHECK(plain.Header("Content-Encoding").empty());
  CHECK(plain.body == log);
  CHECK(CurlFor(e, {"-H", "Accept-Encoding: zstd;q=0, gzip;q=0"}, "/" + link)
            .Header("Content-Encoding")
            .empty());
  // A short paste is not worth compressing.
  CHECK(CurlFor(e, {"--compressed"}, "/" + Put(e, "short\n")).Header("Content-Encoding").empty());
  // HEAD tells the compressed length without the body.
  CurlAnswer head = CurlFor(e, {"-I", "--compressed"}, "/" + link);
  CHECK(head.Header("Content-Length") == std::to_string(stored));

  // Past 1 MiB gzip would cost a reader too long: such a paste goes as it
  // is to gzip-only clients, and still as stored to zstd ones.
  std::string big;
  while (big.size() <= (1 << 20)) big += log;
  std::string big_link = Put(e, big);
  CurlAnswer g = CurlFor(e, {"--compressed", "-H", "Accept-Encoding: gzip"}, "/" + big_link);
  CHECK(g.Header("Content-Encoding").empty());
  CHECK(g.body == big);
  CurlAnswer zs = CurlFor(e, {"--compressed"}, "/" + big_link);
  CHECK(zs.Header("Content-Encoding") == "zstd");
  CHECK(zs.body == big);
}

}  // namespace
}  // namespace pastebin::testing
