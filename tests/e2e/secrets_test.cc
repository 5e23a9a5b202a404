// Secrets never on a command line: every local user reads a process's
// arguments (ps, /proc/PID/cmdline). Delete tokens come from a file,
// standard input, the environment or the terminal; pasted's admin token and
// database password from files. A secret still given as a flag is warned of
// and leaves the process's command line as soon as it starts.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/e2e/fixture.h"
#include "tests/support/fake_server.h"
#include "tests/support/raw_http.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

using json = nlohmann::json;

// A paste made from the fixture's HOME: its link and delete token.
std::pair<std::string, std::string> Made(E2e& e, const std::string& text) {
  auto put = e.Cli({"put", "--json"}, text);
  REQUIRE(put.exit_code == 0);
  json j = json::parse(put.out);
  return {j["shortlink"].get<std::string>(), j["delete_token"].get<std::string>()};
}

// pastebin run on a terminal of its own (a pty): answers the first prompt
// with `answer`. Prints the exit status, then what the terminal showed.
RunResult OnTerminal(const std::vector<std::string>& argv, const std::string& answer,
                     std::map<std::string, std::string> env) {
  std::vector<std::string> all = {"/usr/bin/python3", "-c",
                                  "import os, pty, sys\n"
                                  "pid, fd = pty.fork()\n"
                                  "if pid == 0:\n"
                                  "    os.execv(sys.argv[1], sys.argv[1:])\n"
                                  "seen = b''\n"
                                  "while b': ' not in seen:\n"
                                  "    seen += os.read(fd, 1024)\n"
                                  "os.write(fd, os.environ.get('ANSWER', '').encode() + b'\\n')\n"
                                  "while True:\n"
                                  "    try:\n"
                                  "        chunk = os.read(fd, 1024)\n"
                                  "    except OSError:\n"
                                  "        break\n"
                                  "    if not chunk:\n"
                                  "        break\n"
                                  "    seen += chunk\n"
                                  "_, status = os.waitpid(pid, 0)\n"
                                  "print(os.waitstatus_to_exitcode(status))\n"
                                  "sys.stdout.write(seen.decode())\n"};
  all.insert(all.end(), argv.begin(), argv.end());
  env["ANSWER"] = answer;
  return Run(all, "", env);
}

TEST_CASE("a delete token comes from a file, standard input, the environment or the terminal") {
  E2e e;
  std::string bin = BinaryPath("pastebin");
  // Another HOME: put's saved tokens are not there.
  std::map<std::string, std::string> stranger = {{"HOME", e.dir / "stranger"}};
  auto from_stranger = [&](std::vector<std::string> args, const std::string& input = "",
                           std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {bin, "--server", e.daemon.url()};
    argv.insert(argv.end(), args.begin(), args.end());
    env.insert(stranger.begin(), stranger.end());
    return Run(argv, input, env);
  };

  auto [by_file, file_token] = Made(e, "one\n");
  WriteFile(e.dir / "token", file_token + "\n");
  chmod((e.dir / "token").c_str(), 0600);
  auto r = from_stranger({"delete", by_file, "--token-file", e.dir / "token"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "deleted " + by_file + "\n");
  CHECK(r.err.empty());

  auto [by_stdin, stdin_token] = Made(e, "two\n");
  r = from_stranger({"delete", by_stdin, "--token-file", "-"}, stdin_token + "\n");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());

  auto [by_env, env_token] = Made(e, "three\n");
  r = from_stranger({"stats", by_env}, "", {{"PASTEBIN_DELETE_TOKEN", env_token}});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith(by_env + ": 0 visits"));
  r = from_stranger({"delete", by_env}, "", {{"PASTEBIN_DELETE_TOKEN", env_token}});
  CHECK(r.exit_code == 0);

  // Asked on the terminal, not echoed.
  auto [by_terminal, terminal_token] = Made(e, "four\n");
  auto asked = OnTerminal({bin, "--server", e.daemon.url(), "delete", by_terminal}, terminal_token,
                          stranger);
  INFO(asked.out << asked.err);
  CHECK_THAT(asked.out, Catch::StartsWith("0\ndelete token for " + by_terminal + ": "));
  CHECK_THAT(asked.out, Catch::Contains("deleted " + by_terminal));
  CHECK_THAT(asked.out, !Catch::Contains(terminal_token));

  // --token still works, and says what it shows.
  auto [by_flag, flag_token] = Made(e, "five\n");
  r = from_stranger({"delete", by_flag, "--token", flag_token});
  CHECK(r.exit_code == 0);
  CHECK(r.err ==
        "pastebin: warning: --token shows the delete token to every user of this machine (ps, "
        "/proc/PID/cmdline); use --token-file FILE or PASTEBIN_DELETE_TOKEN instead\n");

  for (const auto& link : {by_file, by_stdin, by_env, by_terminal, by_flag}) {
    CHECK(e.Cli({"get", link}).exit_code == 3);
  }

  // What goes wrong says what to do, and deletes nothing.
  auto [kept, kept_token] = Made(e, "kept\n");
  r = from_stranger({"delete", kept, "--token-file", e.dir / "no-such-file"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "pastebin: error: --token-file: cannot read " + (e.dir / "no-such-file") +
                     " (No such file or directory); give a file whose first line is the delete "
                     "token\n");
  WriteFile(e.dir / "empty", "\n");
  r = from_stranger({"delete", kept, "--token-file", e.dir / "empty"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "pastebin: error: --token-file: " + (e.dir / "empty") +
                     " has no delete token on its first line\n");
  r = from_stranger({"delete", kept, "--token-file", e.dir / "token", "--token", kept_token});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--token-file excludes --token"));
  auto nothing = OnTerminal({bin, "--server", e.daemon.url(), "delete", kept}, "", stranger);
  CHECK_THAT(nothing.out, Catch::StartsWith("2\n") &&
                              Catch::Contains("no delete token given; nothing was done"));
  CHECK(e.Cli({"get", kept}).out == "kept\n");
}

// Regression: pastebin delete --token T showed T in ps for the whole
// exchange.
TEST_CASE("a token given as --token leaves pastebin's command line") {
  TempDir dir;
  // A server that holds the request until the test has read the command
  // line, then answers as pasted does.
  std::string ready = dir / "ready", seen = dir / "seen";
  FakeServer server([&](int fd, const std::string&) {
    WriteFile(ready, "");
    WaitUntil([&] { return access(seen.c_str(), F_OK) == 0; });
    SendAll(fd, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
  });
  for (const std::vector<std::string>& form :
       {std::vector<std::string>{"--token", "Secret0123456789"},
        std::vector<std::string>{"--token=Secret0123456789"},
        std::vector<std::string>{"-tSecret0123456789"}}) {
    unlink(ready.c_str());
    unlink(seen.c_str());
    // $0: pastebin, $1: the server, then the token's form; the command
    // line is read while the request waits (for 10 s at most).
    std::vector<std::string> argv = {
        "/bin/sh", "-c",
        "bin=$0 url=$1; shift\n"
        "\"$bin\" --server \"$url\" delete Ab3dE9x \"$@\" 2>/dev/null & p=$!\n"
        "n=0; while [ ! -e " +
            ready +
            " ] && [ $n -lt 500 ]; do sleep 0.02; n=$((n+1)); done\n"
            "tr '\\0' ' ' < /proc/$p/cmdline\n"
            ": > " +
            seen +
            "\n"
            "wait $p",
        BinaryPath("pastebin"), server.url()};
    argv.insert(argv.end(), form.begin(), form.end());
    auto r = Run(argv, "", {{"HOME", dir / "home"}});
    INFO(form[0]);
    CHECK_THAT(r.out, Catch::Contains(" delete Ab3dE9x "));
    CHECK_THAT(r.out, !Catch::Contains("Secret0123456789"));
    CHECK_THAT(r.out, Catch::Contains("****************"));
  }
}

TEST_CASE("pasted warns of secrets others can read and hides them from its command line") {
  TempDir dir;
  Daemon daemon(dir / "data", {"--admin-token", "AdminSecret0123456789"});
  daemon.Start();
  std::string cmdline = ReadFile("/proc/" + std::to_string(daemon.pid()) + "/cmdline");
  CHECK(cmdline.find("--admin-token") != std::string::npos);
  CHECK(cmdline.find("AdminSecret0123456789") == std::string::npos);
  CHECK_THAT(daemon.log(),
             Catch::Contains("pasted: warning: --admin-token shows the admin token to every user "
                             "of this machine (ps, /proc/PID/cmdline); use --admin-token-file "
                             "FILE (mode 0600) instead"));
  // The token still works.
  auto gc = Run({BinaryPath("pastebin"), "--server", daemon.url(), "gc"}, "",
                {{"HOME", dir / "home"}, {"PASTEBIN_ADMIN_TOKEN", "AdminSecret0123456789"}});
  INFO(gc.err);
  CHECK(gc.exit_code == 0);
  daemon.Stop();

  // A config file others can read that holds the token or a database
  // password.
  WriteFile(dir / "pasted.conf", "admin_token = AdminSecret0123456789\n");
  chmod((dir / "pasted.conf").c_str(), 0644);
  Daemon from_file(dir / "data", {"--config", dir / "pasted.conf"});
  from_file.Start();
  CHECK_THAT(from_file.log(),
             Catch::Contains("pasted: warning: " + (dir / "pasted.conf") +
                             " holds a secret (admin_token or a database password) and other "
                             "users can read it (mode 0644); chmod 0600 it, or move the secret "
                             "to admin_token_file or ~/.pgpass"));
  from_file.Stop();
  chmod((dir / "pasted.conf").c_str(), 0600);
  Daemon private_file(dir / "data", {"--config", dir / "pasted.conf"});
  private_file.Start();
  CHECK_THAT(private_file.log(), !Catch::Contains("warning"));
  private_file.Stop();

  // A password in --postgres-url: warned of and hidden (pasted then fails
  // to reach the database, which is not the point here).
  auto pg = Run({"/usr/bin/timeout", "-s", "KILL", "20", BinaryPath("pasted"), "--data-dir",
                 dir / "data", "--store", "postgres", "--postgres-url",
                 "postgresql://pasted:DbSecret42@127.0.0.1:1/pasted?connect_timeout=1"});
  CHECK_THAT(pg.err, Catch::Contains("pasted: warning: --postgres-url holds a password every "
                                     "user of this machine can read (ps, /proc/PID/cmdline); "
                                     "keep it in a password file (~/.pgpass or PGPASSFILE) "
                                     "instead"));
}

}  // namespace
}  // namespace pastebin::testing
