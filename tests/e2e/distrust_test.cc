// The CLI distrusts its server: a fake server on a free port answers what
// no pastebin server would, and the real pastebin binary must neither print
// it to a terminal, nor store it, nor hold more of it than it must.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <thread>

#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"
#include "tests/support/fake_server.h"
#include "tests/support/raw_http.h"

namespace pastebin::testing {
namespace {

FakeServer::Answer Reply(int status, const std::string& body,
                         const std::string& extra_headers = "") {
  return [=](int fd, const std::string&) {
    SendAll(fd, "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
                    extra_headers + "Content-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n" + body);
  };
}

RunResult CliAgainst(const FakeServer& server, const TempDir& home, std::vector<std::string> args,
                     const std::string& input = "") {
  std::vector<std::string> argv = {BinaryPath("pastebin"), "--server", server.url()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, input, {{"HOME", home.path()}});
}

bool HasControlBytes(const std::string& s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  }
  return false;
}

TEST_CASE("pastebin prints no control characters a server sends") {
  // Regression: pastebin printed URLs, Location and error messages as the
  // server sent them: terminal escapes reached the tty.
  TempDir home;
  SECTION("in an error message") {
    FakeServer s(Reply(
        400,
        R"({"error": {"code": "bad_request", "message": "\u001b[2J\u001b]0;pwned\u0007gone"}})"));
    auto r = CliAgainst(s, home, {"put"}, "x");
    CHECK(r.exit_code == 5);
    CHECK(r.err == "pastebin: error: \\x1b[2J\\x1b]0;pwned\\x07gone\n");
  }
  SECTION("in a URL") {
    FakeServer s(Reply(201, R"({"shortlink": "Ab3dE9x", "url": "http://h/\u001b[31mAb3dE9x",
                               "delete_token": "ab12"})"));
    auto r = CliAgainst(s, home, {"put"}, "x");
    CHECK(r.exit_code == 4);
    CHECK(r.out.empty());
    CHECK(r.err == "pastebin: error: " + s.url() +
                       " is not a pastebin server: its answer to POST /api/v1/paste (HTTP 201, "
                       "application/json) is not what pasted sends: field 'url' is not an "
                       "http(s) URL; point --server or PASTEBIN_SERVER at a pasted\n");
  }
  SECTION("in a redirect") {
    // As pasted words a short link's redirect, so it is taken for one.
    FakeServer s(
        Reply(302, "Redirecting to javascript:alert(1)\n", "Location: javascript:alert(1)\r\n"));
    auto r = CliAgainst(s, home, {"get", "Ab3dE9x"});
    CHECK(r.exit_code == 6);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "pastebin: error: the server redirected to something that is not an http(s) URL\n");
  }
  SECTION("in statistics") {
    FakeServer s(Reply(200, R"({"month": "2026-11", "total_visits": 1, "pastes_visited": 1,
                               "pastes": [{"shortlink": "\u001b[2Jabcd", "visits": 1}]})"));
    auto r = CliAgainst(s, home, {"stats", "--month", "2026-11"});
    CHECK(r.exit_code == 4);
    CHECK_FALSE(HasControlBytes(r.out + r.err));
  }
}

TEST_CASE("nothing a server answers adds lines to the token file") {
  // Regression: a server injected lines into the token file through the
  // token it answered with.
  TempDir home;
  FakeServer s(Reply(201, R"({"shortlink": "Ab3dE9x", "url": "http://h/Ab3dE9x",
                             "delete_token": "ab12\nZz9Zz9Z\tfeed\thttp://evil/"})"));
  auto r = CliAgainst(s, home, {"put"}, "x");
  CHECK(r.exit_code == 4);
  CHECK(access((home / ".local/state/pastebin/tokens").c_str(), F_OK) != 0);
}

TEST_CASE("get streams a paste instead of holding it") {
#ifdef PASTEBIN_SANITIZED
  SkipTest("AddressSanitizer's shadow memory does not fit an address-space limit");
#endif
  // Regression: get of a 1 GiB answer took 1 GiB of memory.
  constexpr size_t kSize = 512 << 20;
  FakeServer s([&](int fd, const std::string&) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                    std::to_string(kSize) + "\r\nConnection: close\r\n\r\n");
    std::string chunk(1 << 20, 'z');
    for (size_t sent = 0; sent < kSize && SendAll(fd, chunk); sent += chunk.size()) {
    }
  });
  TempDir home;
  // 256 MiB of address space: far less than the paste.
  auto r = Run({"/bin/sh", "-c", "ulimit -v 262144 && \"$0\" --server \"$1\" get Ab3dE9x | wc -c",
                BinaryPath("pastebin"), s.url()},
               "", {{"HOME", home.path()}});
  INFO(r.err);
  CHECK(r.out == std::to_string(kSize) + "\n");
}

TEST_CASE("an answer no pastebin server sends is refused past a bound") {
  FakeServer s([](int fd, const std::string&) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
    std::string chunk(1 << 20, ' ');
    for (int i = 0; i < 80 && SendAll(fd, chunk); ++i) {
    }
  });
  TempDir home;
  auto r = CliAgainst(s, home, {"gc"});
  CHECK(r.exit_code == 4);
  CHECK(r.err == "pastebin: error: the answer from " + s.url() +
                     " is larger than 64 MiB, more than a pastebin server sends; is it one?\n");
}

TEST_CASE("put reads no more than the server's limit") {
#ifdef PASTEBIN_SANITIZED
  SkipTest("AddressSanitizer's shadow memory does not fit an address-space limit");
#endif
  // Regression: put read all of standard input before checking its size
  // (200 MB of input took 1.1 GB).
  E2e e({"--max-paste-bytes", "1M"});
  auto r =
      Run({"/bin/sh", "-c",
           "ulimit -v 262144 && head -c 200000000 /dev/zero 2>/dev/null | tr '\\0' a 2>/dev/null | "
           "\"$0\" --server \"$1\" put",
           BinaryPath("pastebin"), e.daemon.url()},
          "", {{"HOME", e.dir / "home"}});
  CHECK(r.exit_code == 5);
  CHECK(r.err ==
        "pastebin: error: standard input is larger than the server's limit of 1048576 "
        "bytes (its max_paste_bytes); nothing was pasted\n");
  // A file is measured before it is read.
  WriteFile(e.dir / "big", "");
  REQUIRE(truncate((e.dir / "big").c_str(), 200000000) == 0);
  auto file = e.Cli({"put", e.dir / "big"});
  CHECK(file.exit_code == 5);
  CHECK(file.err == "pastebin: error: file " + (e.dir / "big") +
                        " is larger than the server's limit of 1048576 bytes (its "
                        "max_paste_bytes); nothing was pasted\n");
  // Within the limit, large inputs still go through.
  auto fits = e.Cli({"put"}, std::string(1 << 20, 'f'));
  CHECK(fits.exit_code == 0);
  CHECK(StoredBodies(e.dir / "data") == 1);
}

TEST_CASE("a server that is briefly full is asked again after Retry-After") {
  std::atomic<int> requests{0};
  FakeServer s([&](int fd, const std::string&) {
    if (requests++ == 0) {
      std::string body = R"({"error": {"code": "unavailable", "message": "busy"}})";
      SendAll(fd,
              "HTTP/1.1 503 X\r\nRetry-After: 1\r\nContent-Type: application/json\r\n"
              "Content-Length: " +
                  std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
      return;
    }
    std::string body =
        R"({"shortlink": "Ab3dE9x", "url": "http://h/Ab3dE9x", "delete_token": "ab"})";
    SendAll(fd, "HTTP/1.1 201 X\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  });
  TempDir home;
  auto r = CliAgainst(s, home, {"put"}, "x");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "http://h/Ab3dE9x\n");
  CHECK(requests == 2);
}

TEST_CASE("put of a directory says it is one") {
  E2e e;
  auto r = e.Cli({"put", e.dir.path()});
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        "pastebin: error: " + e.dir.path() + " is a directory; name the files in it to paste\n");
}

FakeServer::Answer Html(int status, const std::string& extra_headers = "") {
  return [=](int fd, const std::string&) {
    std::string body = "<html><body>" + std::to_string(status) + "</body></html>";
    SendAll(fd, "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: text/html\r\n" +
                    extra_headers + "Content-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n" + body);
  };
}

TEST_CASE("a server name that does not resolve is told as such, not as a server that is down") {
  TempDir home;
  // .invalid never resolves (RFC 6761).
  auto r = Run(
      {BinaryPath("pastebin"), "--server", "http://no-such-host.invalid:8077", "get", "Ab3dE9x"},
      "", {{"HOME", home.path()}});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("cannot resolve host no-such-host.invalid ("));
  CHECK_THAT(r.err, Catch::Contains("check the name in --server or PASTEBIN_SERVER"));
  CHECK(r.err.find("start it with") == std::string::npos);
  // Refused on the local host: start it; elsewhere: check it.
  auto local = Run({BinaryPath("pastebin"), "--server", "http://127.0.0.1:1", "get", "Ab3dE9x"}, "",
                   {{"HOME", home.path()}});
  CHECK_THAT(local.err, Catch::Contains("start pasted there ('pasted --listen 127.0.0.1:1')"));
}

TEST_CASE("another kind of server is named as not a pastebin server, exit 4") {
  // Regression: "the server answered HTTP 501" (exit 6) from a web server on
  // the port, and exit 3 "not found" for a 404 to put.
  TempDir home;
  SECTION("501 to put") {
    FakeServer s(Html(501));
    auto r = CliAgainst(s, home, {"put"}, "x");
    CHECK(r.exit_code == 4);
    CHECK(r.err == "pastebin: error: " + s.url() +
                       " is not a pastebin server: it answered POST /api/v1/paste with HTTP 501 "
                       "(text/html); point --server or PASTEBIN_SERVER at a pasted\n");
  }
  SECTION("404 to put, get, delete, stats and gc") {
    FakeServer s(Html(404));
    for (std::vector<std::string> args :
         std::vector<std::vector<std::string>>{{"put"},
                                               {"get", "Ab3dE9x"},
                                               {"delete", "Ab3dE9x", "--token", "ab"},
                                               {"stats"},
                                               {"gc"},
                                               {"shorten", "http://example.com/"}}) {
      INFO(args[0]);
      auto r = CliAgainst(s, home, args, "x");
      CHECK(r.exit_code == 4);
      CHECK(r.out.empty());
      CHECK(r.err.find(" is not a pastebin server: it answered ") != std::string::npos);
    }
  }
  SECTION("a large input asks the limit of a server that is not pastebin") {
    FakeServer s(Html(404));
    auto r = CliAgainst(s, home, {"put"}, std::string((1 << 20) + 1, 'a'));
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("it answered GET /api/v1/info with HTTP 404") != std::string::npos);
  }
  SECTION("a redirect elsewhere is not a short link") {
    FakeServer s(Html(301, "Location: https://example.com/Ab3dE9x\r\n"));
    auto r = CliAgainst(s, home, {"get", "Ab3dE9x"});
    CHECK(r.exit_code == 4);
    CHECK(r.out.empty());
    CHECK(r.err == "pastebin: error: " + s.url() +
                       " is not a pastebin server: it redirects GET /Ab3dE9x to "
                       "https://example.com/Ab3dE9x; if pastebin is there, use that address\n");
  }
  SECTION("a 200 that is not a paste") {
    FakeServer s(Html(200));
    auto r = CliAgainst(s, home, {"put"}, "x");
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("is not a pastebin server: its answer to POST /api/v1/paste (HTTP 200, "
                     "text/html) is not what pasted sends") != std::string::npos);
  }
  SECTION("a proxy's 502 names the proxy") {
    FakeServer s(Html(502));
    auto r = CliAgainst(s, home, {"put"}, "x");
    CHECK(r.exit_code == 4);
    CHECK(r.err == "pastebin: error: " + s.url() +
                       " answered POST /api/v1/paste with HTTP 502 (text/html) but no pastebin "
                       "error: a proxy that cannot reach pasted, or not a pastebin server; try "
                       "again later or check the address\n");
  }
  SECTION("pasted's own errors keep their exit codes") {
    FakeServer s(Reply(507, R"({"error": {"code": "insufficient_storage", "message": "full"}})"));
    auto r = CliAgainst(s, home, {"put"}, "x");
    CHECK(r.exit_code == 6);
    CHECK(r.err == "pastebin: error: full\n");
  }
}

TEST_CASE("a server that never answers is given up after --timeout") {
  // Regression: 60 s of waiting for a server that accepts and says nothing.
  FakeServer s([](int fd, const std::string&) {
    char c;
    while (recv(fd, &c, 1, 0) > 0) {  // until the client gives up and closes
    }
  });
  TempDir home;
  auto r = CliAgainst(s, home, {"--timeout", "1", "put"}, "x");
  CHECK(r.exit_code == 4);
  CHECK(r.err == "pastebin: error: " + s.url() +
                     " did not answer within 1 s; it is busy or not a pastebin server "
                     "(--timeout SECONDS waits longer)\n");
  // The option after the command too, and from the config file.
  std::filesystem::create_directories(home / ".config/pastebin");
  WriteFile(home / ".config/pastebin/config", "timeout = 1\n");
  auto from_config = CliAgainst(s, home, {"get", "Ab3dE9x"});
  CHECK(from_config.exit_code == 4);
  CHECK(from_config.err.find("did not answer within 1 s") != std::string::npos);
  auto bad = CliAgainst(s, home, {"put", "--timeout", "0"}, "x");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--timeout: expected a number of seconds from 1 to 3600, got '0'") !=
        std::string::npos);
}

// Regression: --timeout bounded each read, so a server that sent a byte a
// second held the CLI for ever.
TEST_CASE("the timeout bounds the whole exchange, not each read") {
  std::atomic<bool> stop{false};
  FakeServer s([&](int fd, const std::string&) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
    while (!stop && send(fd, "X", 1, MSG_NOSIGNAL) == 1) {  // a header without end, slowly
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  TempDir home;
  // Killed after 30 s: the old CLI waited for ever.
  auto r = Run({"/usr/bin/timeout", "-s", "KILL", "30", BinaryPath("pastebin"), "--server", s.url(),
                "--timeout", "2", "gc"},
               "", {{"HOME", home.path()}});
  stop = true;
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains(" did not answer within 2 s"));
}

// A large paste on a slow link takes longer than --timeout and is still
// fetched while it keeps coming; one that stops coming, or comes a byte at a
// time, is given up.
TEST_CASE("a streamed paste may outlast the timeout while it keeps coming") {
  constexpr size_t kSize = 256 << 10;
  enum Mode { kSteady, kStall, kTrickle };
  std::atomic<int> mode{kSteady};
  std::atomic<bool> stop{false};
  FakeServer s([&](int fd, const std::string&) {
    const int m = mode;  // as it was when this connection came
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                    std::to_string(kSize) + "\r\nConnection: close\r\n\r\n");
    std::string chunk(16 << 10, 'z');
    // 64 KiB/s: all of it in 4 s, four times what the guard asks.
    for (size_t sent = 0; sent < kSize && !stop; sent += chunk.size()) {
      if (m != kSteady && sent >= 32 << 10) break;
      if (!SendAll(fd, chunk)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    // Nothing more, or a byte every half second: each read is answered
    // within the timeout, the whole never.
    char c;
    while (m != kSteady && !stop && recv(fd, &c, 1, MSG_DONTWAIT) != 0) {  // till the CLI goes
      if (m == kTrickle && send(fd, "z", 1, MSG_NOSIGNAL) != 1) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  TempDir home;
  auto get = [&] {
    return Run({"/usr/bin/timeout", "-s", "KILL", "30", BinaryPath("pastebin"), "--server", s.url(),
                "--timeout", "1", "get", "Ab3dE9x"},
               "", {{"HOME", home.path()}});
  };
  auto steady = get();
  INFO(steady.err);
  CHECK(steady.exit_code == 0);
  CHECK(steady.out == std::string(kSize, 'z'));
  mode = kStall;
  auto stalled = get();
  CHECK(stalled.exit_code == 4);
  CHECK_THAT(stalled.err, Catch::Contains(" stopped sending after 32768 bytes for 1 s; try again, "
                                          "or --timeout SECONDS waits longer"));
  mode = kTrickle;
  auto trickled = get();
  stop = true;
  CHECK(trickled.exit_code == 4);
  CHECK_THAT(trickled.err, Catch::Contains(": slower than 16 KiB/s past 1 s; try again, or "
                                           "--timeout SECONDS waits longer"));
}

// Regression: pastebin list reached 1.6 GB against a server that sent
// without end (cpp-httplib keeps every header line).
TEST_CASE("what the CLI holds of a server's answer is bounded, head and body") {
  std::atomic<bool> stop{false};
  std::string chunk = "X-Junk: " + std::string(4000, 'j') + "\r\n";
  std::atomic<int64_t> sent{0};
  FakeServer endless_head([&](int fd, const std::string&) {
    SendAll(fd, "HTTP/1.1 404 Not Found\r\n");
    while (!stop && SendAll(fd, chunk)) sent += chunk.size();
  });
  TempDir home;
  // A paste of this user's on that server, as put would have saved it.
  std::filesystem::create_directories(home / ".local/state/pastebin");
  WriteFile(home / ".local/state/pastebin/tokens",
            "Ab3dE9x\t0123456789abcdef0123456789abcdef\t" + endless_head.url() + "/Ab3dE9x\n");
  // The CLI's peak memory, as its parent sees it.
  auto r = Run({"/usr/bin/python3", "-c",
                "import resource, subprocess, sys\n"
                "p = subprocess.run(sys.argv[1:], capture_output=True, timeout=30)\n"
                "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                BinaryPath("pastebin"), "--timeout", "5", "list"},
               "", {{"HOME", home.path()}});
  INFO(r.out << r.err);
  int exit_code = -1;
  int64_t peak_kb = 0;
  REQUIRE(sscanf(r.out.c_str(), "%d %ld", &exit_code, &peak_kb) == 2);
  CHECK(exit_code == 0);       // the paste is listed as unknown
  CHECK(peak_kb < 64 * 1024);  // under 64 MiB, however fast the server sent
  CHECK(sent > 1 << 20);       // and it did send
  // A command that must have the answer says why it has none.
  auto gc = CliAgainst(endless_head, home, {"--timeout", "5", "gc"});
  CHECK(gc.exit_code == 4);
  CHECK(gc.err == "pastebin: error: the answer from " + endless_head.url() +
                      " has headers larger than 1 MiB, more than a pastebin server sends; is it "
                      "one?\n");
  stop = true;
}

TEST_CASE("https to a plain-HTTP server says so instead of 'start it'") {
  FakeServer s(Html(400), /*read_head=*/false);
  TempDir home;
  std::string https = "https" + s.url().substr(4);
  auto r = Run({BinaryPath("pastebin"), "get", https + "/Ab3dE9x"}, "", {{"HOME", home.path()}});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("the TLS handshake with " + https + " failed") != std::string::npos);
  CHECK(r.err.find("use http:// instead") != std::string::npos);
  CHECK(r.err.find("start it") == std::string::npos);
}

// Every file below dir (recursively) that holds needle.
std::vector<std::string> FilesHolding(const std::string& dir, const std::string& needle) {
  std::vector<std::string> out;
  for (const std::string& f : ListFiles(dir)) {
    if (ReadFile(dir + "/" + f).find(needle) != std::string::npos) out.push_back(f);
  }
  return out;
}

TEST_CASE("an encrypted paste's text and key never reach the server") {
  E2e e;
  const std::string text = "the plans: meet at the old mill 7f3a9c21\n";
  auto put = e.Cli({"put", "--encrypt"}, text);
  REQUIRE(put.exit_code == 0);
  std::string url = put.out.substr(0, put.out.size() - 1);
  size_t hash = url.find('#');
  REQUIRE(hash != std::string::npos);
  std::string key = url.substr(hash + 1);
  CHECK(key.size() == 43);
  auto got = e.Cli({"get", url});
  CHECK(got.exit_code == 0);
  CHECK(got.out == text);
  // Read in a browser too, as the server sees it: only ciphertext.
  auto raw = e.Http().Get("/" + E2e::LinkOf(url.substr(0, hash)));
  CHECK(raw->body.rfind("pastebin-encrypted:v1:0::", 0) == 0);
  CHECK(raw->body.find("old mill") == std::string::npos);
  // Nowhere in the data dir (database, WAL, bodies, access log)...
  REQUIRE(e.Cli({"stats"}).exit_code == 0);  // the access log written out
  std::string link = E2e::LinkOf(url.substr(0, hash));
  CHECK_THAT(ReadFile(e.dir / "data/access.log"), Catch::Contains("GET /" + link + " "));
  CHECK(FilesHolding(e.dir / "data", "old mill").empty());
  CHECK(FilesHolding(e.dir / "data", key).empty());
  // ...nor in the daemon's memory.
#ifndef PASTEBIN_SANITIZED
  if (HaveProgram("gcore")) {
    auto dump =
        Run({"/usr/bin/env", "gcore", "-o", e.dir / "core", std::to_string(e.daemon.pid())});
    INFO(dump.err);
    REQUIRE(dump.exit_code == 0);
    std::string core = ReadFile(e.dir / ("core." + std::to_string(e.daemon.pid())));
    REQUIRE(core.size() > 1000000);
    CHECK(core.find(raw->body.substr(30, 40)) != std::string::npos);  // the dump holds pastes
    CHECK(core.find("old mill") == std::string::npos);
    CHECK(core.find(key) == std::string::npos);
  }
#endif
  // Not even its language reaches the server (a file's extension, --lang).
  WriteFile(e.dir / "secret.py", "print('hidden')\n");
  auto py = e.Cli({"put", "--encrypt", e.dir / "secret.py"});
  REQUIRE(py.exit_code == 0);
  std::string py_link = E2e::LinkOf(py.out.substr(0, py.out.find('#')));
  auto py_page = e.Http().Get("/" + py_link, httplib::Headers{{"Accept", "text/html"}});
  CHECK(py_page->body.find("data-lang=\"py\"") == std::string::npos);
  CHECK(e.Cli({"get", py.out.substr(0, py.out.size() - 1)}).out == "print('hidden')\n");
  // The page's line anchors keep the key (#KEY&L3), and get reads past
  // them; a link that lost its key says so and prints nothing.
  CHECK(e.Cli({"get", url + "&L3"}).out == text);
  CHECK(e.Cli({"get", url + "&L1-L2"}).out == text);
  auto keyless = e.Cli({"get", url.substr(0, hash)});
  CHECK(keyless.exit_code == 2);
  CHECK(keyless.out.empty());
  CHECK_THAT(keyless.err, Catch::Contains("is encrypted, and this link has no key: use the "
                                          "whole link put printed (with its #...)"));
  auto anchor_only = e.Cli({"get", url.substr(0, hash) + "#L3"});
  CHECK(anchor_only.exit_code == 2);
  CHECK(anchor_only.out.empty());
  // A paste that is not encrypted, named with its page's line anchor.
  auto plain = e.Cli({"put"}, "line one\nline two\n");
  std::string plain_url = plain.out.substr(0, plain.out.size() - 1);
  auto anchored = e.Cli({"get", plain_url + "#L2"});
  CHECK(anchored.exit_code == 0);
  CHECK(anchored.out == "line one\nline two\n");
  // The wrong key opens nothing; a password is needed where one was set.
  auto wrong = e.Cli({"get", url.substr(0, hash + 1) + std::string(43, 'A')});
  CHECK(wrong.exit_code == 5);
  auto with_password =
      Run({BinaryPath("pastebin"), "--server", e.daemon.url(), "put", "--encrypt", "--password"},
          "second secret\n", {{"HOME", e.dir / "home"}, {"PASTEBIN_PASSWORD", "hunter2"}});
  REQUIRE(with_password.exit_code == 0);
  std::string pw_url = with_password.out.substr(0, with_password.out.size() - 1);
  auto no_password = Run({BinaryPath("pastebin"), "get", pw_url}, "", {{"HOME", e.dir / "home"}});
  CHECK(no_password.exit_code == 2);
  CHECK_THAT(no_password.err, Catch::Contains("PASTEBIN_PASSWORD"));
  auto opened = Run({BinaryPath("pastebin"), "get", pw_url}, "",
                    {{"HOME", e.dir / "home"}, {"PASTEBIN_PASSWORD", "hunter2"}});
  CHECK(opened.out == "second secret\n");
  auto bad_password = Run({BinaryPath("pastebin"), "get", pw_url}, "",
                          {{"HOME", e.dir / "home"}, {"PASTEBIN_PASSWORD", "hunter3"}});
  CHECK(bad_password.exit_code == 5);
}

// Regression: a paste named its own PBKDF2 rounds, and get computed
// 999,999,999 of them (minutes) before it could say the password was wrong.
TEST_CASE("get refuses a paste that asks for more rounds than pastebin makes") {
  E2e e;
  auto made =
      Run({BinaryPath("pastebin"), "--server", e.daemon.url(), "put", "--encrypt", "--password"},
          "greedy\n", {{"HOME", e.dir / "home"}, {"PASTEBIN_PASSWORD", "hunter2"}});
  REQUIRE(made.exit_code == 0);
  std::string url = made.out.substr(0, made.out.size() - 1);
  std::string key = url.substr(url.find('#') + 1);
  auto raw = e.Http().Get("/" + E2e::LinkOf(url.substr(0, url.find('#'))));
  REQUIRE(raw);
  // The same paste, asking for 999,999,999 rounds.
  std::string body = raw->body;
  size_t rounds_at = std::string("pastebin-encrypted:v1:").size();
  body.replace(rounds_at, body.find(':', rounds_at) - rounds_at, "999999999");
  auto greedy = e.Cli({"put"}, body);
  REQUIRE(greedy.exit_code == 0);
  std::string greedy_url = greedy.out.substr(0, greedy.out.size() - 1) + "#" + key;
  auto r = Run({"/usr/bin/timeout", "-s", "KILL", "60", BinaryPath("pastebin"), "get", greedy_url},
               "", {{"HOME", e.dir / "home"}, {"PASTEBIN_PASSWORD", "hunter2"}});
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "pastebin: error: the paste asks for 999999999 password rounds (PBKDF2); pastebin opens "
        "at most 2000000, so that a link cannot hold its reader's CPU for minutes; it was not "
        "made by pastebin\n");
  CHECK(r.out.empty());
  // get --json opens encrypted pastes too, and refuses the same way.
  auto json = Run(
      {"/usr/bin/timeout", "-s", "KILL", "60", BinaryPath("pastebin"), "get", "--json", greedy_url},
      "", {{"HOME", e.dir / "home"}, {"PASTEBIN_PASSWORD", "hunter2"}});
  CHECK(json.exit_code == 2);
  CHECK_THAT(json.err, Catch::Contains("\"message\":\"the paste asks for 999999999 password "
                                       "rounds (PBKDF2)"));  // --json: the error as JSON too
  CHECK(json.out.empty());
}

}  // namespace
}  // namespace pastebin::testing
