// The CLI against a real daemon: what a user types and sees.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"
#include "tests/support/qr_image.h"

namespace pastebin::testing {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST_CASE("put from stdin prints a link that get prints back") {
  E2e e;
  auto put = e.Cli({"put"}, "hello\n");
  REQUIRE(put.exit_code == 0);
  CHECK(put.err.empty());
  std::regex link(R"(http://127\.0\.0\.1:\d+/[A-Za-z0-9]{7}\n)");
  REQUIRE(std::regex_match(put.out, link));

  std::string url = put.out.substr(0, put.out.size() - 1);
  auto by_url = e.Cli({"get", url});
  CHECK(by_url.exit_code == 0);
  CHECK(by_url.out == "hello\n");
  CHECK(by_url.err.empty());
  auto by_link = e.Cli({"get", E2e::LinkOf(url)});
  CHECK(by_link.exit_code == 0);
  CHECK(by_link.out == "hello\n");
}

TEST_CASE("files round-trip byte for byte") {
  E2e e;
  std::string big;
  for (int i = 0; i < 300 * 1024; ++i) {
    big.push_back(i % 61 == 60 ? '\n' : static_cast<char>('!' + i % 90));
  }
  const std::vector<std::pair<std::string, std::string>> kFiles = {
      {"unicode.txt", "héllo wörld — 日本語 — emoji 😀 𝄞\n"},
      {"crlf.txt", "line one\r\nline two\r\n"},
      {"no-newline.txt", "no trailing newline"},
      {"json-ish.txt", "{\"a\": \"\\u0000 is not a NUL here\"}\t\x01\x1f\x7f"},
      {"big.txt", big},
  };
  std::vector<std::string> args = {"put"};
  for (const auto& [name, bytes] : kFiles) {
    WriteFile(e.dir / name, bytes);
    args.push_back(e.dir / name);
  }
  auto put = e.Cli(args);
  REQUIRE(put.exit_code == 0);
  auto urls = Lines(put.out);
  REQUIRE(urls.size() == kFiles.size());  // one URL a line, in order
  for (size_t i = 0; i < kFiles.size(); ++i) {
    INFO(kFiles[i].first);
    auto get = e.Cli({"get", urls[i]});
    CHECK(get.exit_code == 0);
    CHECK(get.out == kFiles[i].second);
  }
}

TEST_CASE("'-' among files reads stdin in its place") {
  E2e e;
  WriteFile(e.dir / "a.txt", "from a\n");
  auto put = e.Cli({"put", e.dir / "a.txt", "-"}, "from stdin\n");
  REQUIRE(put.exit_code == 0);
  auto urls = Lines(put.out);
  REQUIRE(urls.size() == 2);
  CHECK(e.Cli({"get", urls[0]}).out == "from a\n");
  CHECK(e.Cli({"get", urls[1]}).out == "from stdin\n");
}

TEST_CASE("many puts give distinct links") {
  E2e e;
  std::set<std::string> links;
  for (int i = 0; i < 40; ++i) {
    auto put = e.Cli({"put"}, "paste " + std::to_string(i));
    REQUIRE(put.exit_code == 0);
    links.insert(E2e::LinkOf(put.out));
  }
  CHECK(links.size() == 40);
}

TEST_CASE("pastes survive a restart of the daemon") {
  E2e e;
  std::vector<std::pair<std::string, std::string>> made;
  for (int i = 0; i < 5; ++i) {
    std::string body = "survivor " + std::to_string(i) + "\n";
    auto put = e.Cli({"put"}, body);
    REQUIRE(put.exit_code == 0);
    made.emplace_back(E2e::LinkOf(put.out), body);
  }
  REQUIRE(e.daemon.Stop() == 0);
  e.daemon.Start();
  for (const auto& [link, body] : made) {
    auto get = e.Cli({"get", link});
    CHECK(get.exit_code == 0);
    CHECK(get.out == body);
  }
}

TEST_CASE("acknowledged pastes survive SIGKILL") {
  E2e e;
  std::vector<std::pair<std::string, std::string>> made;
  for (int i = 0; i < 10; ++i) {
    std::string body = "durable " + std::to_string(i);
    auto put = e.Cli({"put"}, body);
    REQUIRE(put.exit_code == 0);
    made.emplace_back(E2e::LinkOf(put.out), body);
  }
  e.daemon.Kill();
  e.daemon.Start();
  for (const auto& [link, body] : made) {
    CHECK(e.Cli({"get", link}).out == body);
  }
}

TEST_CASE("get of an unknown link exits 3 with the server's message") {
  E2e e;
  auto get = e.Cli({"get", "Zz9Zz9Z"});
  CHECK(get.exit_code == 3);
  CHECK(get.out.empty());
  // Which server: the user may have meant another.
  CHECK(get.err ==
        "pastebin: error: paste Zz9Zz9Z does not exist or has expired on " + e.daemon.url() + "\n");
}

TEST_CASE("get of something that is not a link is a usage error") {
  E2e e;
  auto get = e.Cli({"get", "../etc/passwd"});
  CHECK(get.exit_code == 2);
  CHECK(get.out.empty());
  CHECK(get.err ==
        "pastebin: error: '../etc/passwd' is not a paste link: expected 6 to 16 "
        "letters and digits (e.g. Ab3dE9x) or a URL ending in one\n");
}

TEST_CASE("an unreachable server exits 4 and says what to do") {
  TempDir dir;
  // A port nothing listens on: bind one, then let the daemon go.
  Daemon d(dir / "data");
  d.Start();
  std::string url = d.url();
  REQUIRE(d.Stop() == 0);
  auto put = Run({BinaryPath("pastebin"), "--server", url, "put"}, "x", {{"HOME", dir / "home"}});
  CHECK(put.exit_code == 4);
  CHECK(put.out.empty());
  CHECK(put.err == "pastebin: error: cannot reach the pastebin server at " + url +
                       " (connection refused or host unreachable); start pasted there "
                       "('pasted --listen " +
                       url.substr(7) +
                       "'), or point --server or PASTEBIN_SERVER at a running one\n");
}

TEST_CASE("binary input is refused before anything is created") {
  E2e e;
  WriteFile(e.dir / "good.txt", "fine\n");
  WriteFile(e.dir / "bad.bin", std::string("PK\x03\x04\0\0", 6));
  auto put = e.Cli({"put", e.dir / "good.txt", e.dir / "bad.bin"});
  CHECK(put.exit_code == 5);
  CHECK(put.out.empty());
  CHECK(put.err == "pastebin: error: file " + (e.dir / "bad.bin") +
                       " contains a NUL byte at offset 4; only text can be "
                       "pasted (binary data is refused)\n");
  CHECK(e.StoredBodies() == 0);
}

TEST_CASE("a missing file is reported before anything is created") {
  E2e e;
  WriteFile(e.dir / "good.txt", "fine\n");
  auto put = e.Cli({"put", e.dir / "good.txt", e.dir / "missing.txt"});
  CHECK(put.exit_code == 1);
  CHECK(put.out.empty());
  CHECK(put.err == "pastebin: error: cannot read " + (e.dir / "missing.txt") +
                       ": No such file or directory\n");
  CHECK(e.StoredBodies() == 0);
}

TEST_CASE("empty input is refused") {
  E2e e;
  auto put = e.Cli({"put"}, "");
  CHECK(put.exit_code == 5);
  CHECK(put.err == "pastebin: error: standard input is empty; there is nothing to paste\n");
}

TEST_CASE("a paste over the server's limit is refused with its message") {
  E2e e({"--max-paste-bytes", "1K"});
  auto put = e.Cli({"put"}, std::string(1025, 'x'));
  CHECK(put.exit_code == 5);
  CHECK(put.out.empty());
  CHECK(put.err ==
        "pastebin: error: paste is 1025 bytes, over this server's limit of "
        "1024 bytes; split it or ask the operator to raise max_paste_bytes\n");
  CHECK(e.Cli({"put"}, std::string(1024, 'x')).exit_code == 0);
}

TEST_CASE("put --expire sets the expiry and bad durations are usage errors") {
  E2e e;
  auto put = e.Cli({"put", "--expire", "2h", "--json"}, "brief");
  REQUIRE(put.exit_code == 0);
  CHECK_THAT(put.out, Catch::Contains("\"expiration_length_in_minutes\":120"));
  std::regex expires(R"re("expires_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")re");
  CHECK(std::regex_search(put.out, expires));

  for (const char* bad : {"bogus", "-5", "1x", "99999999999999999999", "0", "0h"}) {
    INFO(bad);
    auto r = e.Cli({"put", "--expire", bad}, "never stored");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err,
               Catch::StartsWith("pastebin: error: invalid duration '" + std::string(bad) + "'"));
  }
  // Zero and nothing never mean never by accident: never is 'never'.
  CHECK_THAT(e.Cli({"put", "--expire", "0"}, "x").err,
             Catch::Contains("(zero; for no expiry say 'never')"));
  auto empty = e.Cli({"put", "--expire", ""}, "never stored");
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Catch::Contains("--expire"));
  CHECK_THAT(empty.err, Catch::Contains("needs a duration: 30m, 2h, 7d, 2w, a number of minutes, "
                                        "or never"));
  CHECK(e.StoredBodies() == 1);
}

TEST_CASE("put with standard output closed pastes nothing, saying why") {
  E2e e;
  // cmd >&-: the link would have nowhere to go.
  RunResult r =
      Run({"/bin/sh", "-c",
           "echo y | " + BinaryPath("pastebin") + " --server " + e.daemon.url() + " put >&-"},
          "", {{"HOME", e.dir / "home"}});
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        "pastebin: error: standard output is closed, so the link would be lost; "
        "nothing was pasted\n");
  CHECK(e.StoredBodies() == 0);
  // Output that fails once the paste exists: the link goes to stderr.
  RunResult full = Run(
      {"/bin/sh", "-c",
       "echo y | " + BinaryPath("pastebin") + " --server " + e.daemon.url() + " put >/dev/full"},
      "", {{"HOME", e.dir / "home"}});
  CHECK(full.exit_code == 1);
  CHECK(std::regex_match(full.err, std::regex("pastebin: error: cannot write standard output; "
                                              "the paste is at http://127\\.0\\.0\\.1:\\d+/"
                                              "[A-Za-z0-9]{7}\n")));
}

TEST_CASE("put saves the delete token privately") {
  E2e e;
  auto put = e.Cli({"put", "--json"}, "mine");
  REQUIRE(put.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(put.out, m, std::regex(R"re("delete_token":"([0-9a-f]{32})")re")));
  std::string token = m[1];
  std::smatch l;
  REQUIRE(std::regex_search(put.out, l, std::regex(R"re("shortlink":"([A-Za-z0-9]{7})")re")));
  std::string tokens_path = e.dir / "home/.local/state/pastebin/tokens";
  std::string saved = ReadFile(tokens_path);
  CHECK_THAT(saved, Catch::StartsWith(l[1].str() + "\t" + token + "\t"));
  struct stat st;
  REQUIRE(stat(tokens_path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("usage errors exit 2 and print usage help") {
  E2e e;
  auto none = e.Cli({});
  CHECK(none.exit_code == 2);
  CHECK(none.out.empty());
  CHECK_THAT(none.err, Catch::StartsWith("pastebin: error: "));
  CHECK(none.err == "pastebin: error: no command given; run 'pastebin help' for the commands\n");
  auto unknown = e.Cli({"frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "pastebin: error: unknown command 'frobnicate'; run 'pastebin help' for "
        "the commands\n");
  auto typo = e.Cli({"pust"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err ==
        "pastebin: error: unknown command 'pust' (did you mean put?); run "
        "'pastebin help' for the commands\n");
  CHECK_THAT(e.Cli({"stast"}).err, Catch::Contains("(did you mean stats?)"));
  auto flag = Run({BinaryPath("pastebin"), "--frob"});
  CHECK(flag.exit_code == 2);
  CHECK(flag.err == "pastebin: error: unknown option '--frob'; run 'pastebin help' for usage\n");
  // A command's option misspelt: the nearest one it takes.
  auto expires = e.Cli({"put", "--expires", "1d"}, "x");
  CHECK(expires.exit_code == 2);
  CHECK_THAT(expires.err, Catch::StartsWith("pastebin: error: unknown option '--expires' (did you "
                                            "mean --expire?)"));
  CHECK_THAT(e.Cli({"stats", "--mnth", "2026-11"}).err,
             Catch::Contains("unknown option '--mnth' (did you mean --month?)"));
  auto top = e.Cli({"stats", "--month", "2026-11", "--top", "-1"});
  CHECK(top.exit_code == 2);
  CHECK_THAT(top.err, Catch::Contains("--top must be 0 or more"));
  auto lang = e.Cli({"put", "--lang", "Py thon"}, "x");
  CHECK(lang.exit_code == 2);
  CHECK_THAT(lang.err, Catch::Contains("'py thon' is not a language name"));
  for (std::vector<std::string> asks : {std::vector<std::string>{"--help"}, {"help"}}) {
    asks.insert(asks.begin(), BinaryPath("pastebin"));
    auto help = Run(asks);
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("put"));
    CHECK_THAT(help.out, Catch::Contains("get"));
  }
  auto put_help = Run({BinaryPath("pastebin"), "help", "put"});
  CHECK(put_help.exit_code == 0);
  // The same text either way it is asked for.
  CHECK(put_help.out == Run({BinaryPath("pastebin"), "put", "--help"}).out);
  CHECK_THAT(put_help.out, Catch::Contains("--expire"));
  CHECK(Run({BinaryPath("pastebin"), "help", "pust"}).exit_code == 2);
  for (const char* v : {"--version", "-V"}) {
    auto version = Run({BinaryPath("pastebin"), v});
    CHECK(version.exit_code == 0);
    CHECK(std::regex_match(version.out, std::regex(R"(pastebin \d+\.\d+\.\d+\n)")));
  }
}

TEST_CASE("pastebin's own options may follow the command") {
  E2e e;
  auto put = Run({BinaryPath("pastebin"), "put", "--server", e.daemon.url()}, "after\n",
                 {{"HOME", e.dir / "home"}});
  REQUIRE(put.exit_code == 0);
  auto got = Run({BinaryPath("pastebin"), "get", E2e::LinkOf(put.out), "-s", e.daemon.url()}, "",
                 {{"HOME", e.dir / "home"}});
  CHECK(got.out == "after\n");
}

TEST_CASE("put --qr and shorten --qr draw the link as a QR code that scans back") {
  if (!HaveProgram("zbarimg")) SkipTest("zbarimg is not installed (zbar-tools)");
  E2e e;
  auto put = e.Cli({"put", "--qr"}, "scan me\n");
  REQUIRE(put.exit_code == 0);
  std::string url = put.out.substr(0, put.out.find('\n'));
  std::string drawing = put.out.substr(url.size() + 1);
  CHECK(drawing.find("\u2588") != std::string::npos);
  CHECK(ScanModules(ModulesFromTerminal(drawing)) == url);
  CHECK(e.Cli({"get", url}).out == "scan me\n");
  auto link = e.Cli({"shorten", "--qr", "https://example.com/a/long/way"});
  REQUIRE(link.exit_code == 0);
  std::string short_url = link.out.substr(0, link.out.find('\n'));
  CHECK(ScanModules(ModulesFromTerminal(link.out.substr(short_url.size() + 1))) == short_url);
  auto both = e.Cli({"put", "--qr", "--json"}, "x");
  CHECK(both.exit_code == 2);
  // The paste's page carries it as inline SVG (no request of its own).
  auto page = e.Http().Get("/" + E2e::LinkOf(url), {{"Accept", "text/html"}});
  CHECK_THAT(page->body, Catch::Contains("<details id=\"qr\"><summary>QR code</summary><svg "));
}

}  // namespace
}  // namespace pastebin::testing
