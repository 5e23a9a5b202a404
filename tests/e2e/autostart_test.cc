// The two-command start: with nothing configured and nothing running,
// pastebin starts pasted itself. Each test runs in a fresh network
// namespace (unshare -n, as root), so 127.0.0.1:8077 is free there whatever
// runs on this machine, and in a temporary HOME.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <regex>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

// Runs a shell script in a new network namespace with loopback up.
RunResult InNetns(const std::string& script, const std::map<std::string, std::string>& env) {
  return Run({"/usr/bin/unshare", "-n", "/bin/sh", "-c", "ip link set lo up && " + script}, "",
             env);
}

void SkipUnlessNetns() {
  if (geteuid() != 0) SkipTest("needs root for a network namespace (unshare -n)");
  if (!HaveProgram("ip")) SkipTest("ip (iproute2) is not installed");
  auto probe = Run({"/usr/bin/unshare", "-n", "/bin/true"});
  if (probe.exit_code != 0) SkipTest("unshare -n is not allowed here: " + probe.err);
}

bool MakePrivateDirsForTest(const std::string& dir) {
  return Run({"/bin/mkdir", "-p", "-m", "0700", dir}).exit_code == 0;
}

// Stops the pasted an autostart left behind, by the pid in its lock file.
void KillAutostarted(const std::string& data_dir) {
  try {
    int pid = std::stoi(ReadFile(data_dir + "/pasted.lock"));
    if (pid > 1) kill(pid, SIGTERM);
  } catch (const std::exception&) {
  }
}

TEST_CASE("put starts pasted when nothing runs and get finds it") {
  SkipUnlessNetns();
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  std::string bin = BinaryPath("pastebin");
  auto r = InNetns("L=$(echo hello | " + bin + " put) && echo \"$L\" && " + bin + " get \"$L\"",
                   {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(std::regex_match(r.out, std::regex("http://127\\.0\\.0\\.1:8077/[A-Za-z0-9]{7}\nhello\n")));
  CHECK(r.err ==
        "pastebin: started pasted in the background on "
        "http://127.0.0.1:8077 (data and log in " +
            data + ")\n");
  CHECK_THAT(ReadFile(data + "/pasted.log"), Catch::Contains("listening on http://127.0.0.1:8077"));
}

TEST_CASE("daemon start and restart run the pasted autostart would, and stop leaves a hint") {
  SkipUnlessNetns();
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  std::string bin = BinaryPath("pastebin");
  auto r = InNetns(bin + " daemon start && " + bin + " daemon start && " + bin +
                       " daemon restart && echo x | " + bin + " put >/dev/null && " + bin +
                       " daemon stop && " + bin + " --server http://127.0.0.1:8077 gc; " + bin +
                       " daemon status",
                   {{"HOME", home.path()}, {"PASTEBIN_AUTOSTART", "no"}});
  KillAutostarted(data);
  INFO(r.err);
  std::regex expected(
      "started pasted \\(pid (\\d+)\\) on http://127\\.0\\.0\\.1:8077 \\(data dir " + data +
      "\\)\n"
      "pasted is already running \\(pid \\1\\) on http://127\\.0\\.0\\.1:8077 \\(data dir " +
      data +
      "\\)\n"
      "stopped pasted \\(pid \\1\\)\n"
      "started pasted \\(pid (\\d+)\\) on http://127\\.0\\.0\\.1:8077 \\(data dir " +
      data +
      "\\)\n"
      "stopped pasted \\(pid \\2\\)\n"
      "pasted is not running \\(data dir " +
      data + "\\)\n");
  CHECK(std::regex_match(r.out, expected));
  // After a stop, what talks to it says how to start it again.
  CHECK_THAT(r.err, Catch::Contains("start it with 'pastebin daemon start'"));
  // Another data dir is pasted's own to start.
  auto other =
      InNetns(bin + " daemon start --data-dir " + (home / "elsewhere"), {{"HOME", home.path()}});
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.err, Catch::Contains("run 'pasted --data-dir " + (home / "elsewhere") + "'"));
}

TEST_CASE("an autostart starts the log over once it passes 1 MiB, keeping the last as .1") {
  SkipUnlessNetns();
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  REQUIRE(MakePrivateDirsForTest(data));
  std::string old(2 << 20, 'o');
  WriteFile(data + "/pasted.log", old);
  auto r = InNetns("echo hello | " + BinaryPath("pastebin") + " put", {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(ReadFile(data + "/pasted.log.1") == old);
  std::string fresh = ReadFile(data + "/pasted.log");
  CHECK(fresh.size() < 4096);
  CHECK_THAT(fresh, Catch::Contains("listening on http://127.0.0.1:8077"));
}

TEST_CASE("three CLIs starting pasted at once all succeed with one daemon, which one announces") {
  SkipUnlessNetns();
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  std::string bin = BinaryPath("pastebin");
  std::string puts, gets;
  for (const char* n : {"one", "two", "three"}) {
    puts += "(echo " + std::string(n) + " | " + bin + " put > " + (home / n) + ") & ";
    gets += " && " + bin + " get $(cat " + (home / n) + ")";
  }
  auto r = InNetns(puts + "wait" + gets, {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "one\ntwo\nthree\n");
  size_t said = 0;
  for (size_t at = r.err.find("started pasted"); at != std::string::npos;
       at = r.err.find("started pasted", at + 1)) {
    ++said;
  }
  CHECK(said == 1);
  // However the race went, exactly one daemon served.
  std::string log = ReadFile(data + "/pasted.log");
  size_t listening = 0;
  for (size_t at = log.find("listening on"); at != std::string::npos;
       at = log.find("listening on", at + 1)) {
    ++listening;
  }
  CHECK(listening == 1);
}

TEST_CASE("autostart with an unwritable home fails at once, saying why") {
  SkipUnlessNetns();
  auto r = InNetns("echo x | " + BinaryPath("pastebin") + " put", {{"HOME", "/proc/self"}});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::StartsWith("pastebin: error: no pastebin server answers at "
                                      "http://127.0.0.1:8077 and one cannot be started: "
                                      "/proc/self/.local/share/pastebin is not writable ("));
  CHECK_THAT(r.err, Catch::Contains("set HOME or XDG_DATA_HOME to a writable directory"));
}

TEST_CASE("a configured server is never autostarted") {
  SkipUnlessNetns();
  TempDir home;
  std::string bin = BinaryPath("pastebin");
  auto flag =
      InNetns("echo x | " + bin + " --server http://127.0.0.1:8077 put", {{"HOME", home.path()}});
  CHECK(flag.exit_code == 4);
  auto env = InNetns("echo x | " + bin + " put",
                     {{"HOME", home.path()}, {"PASTEBIN_SERVER", "http://127.0.0.1:8077"}});
  CHECK(env.exit_code == 4);
  // The variable takes the config file's words, and more.
  for (const char* no : {"0", "no", "false", "off", "FALSE"}) {
    INFO(no);
    auto off =
        InNetns("echo x | " + bin + " put", {{"HOME", home.path()}, {"PASTEBIN_AUTOSTART", no}});
    CHECK(off.exit_code == 4);
    CHECK_THAT(off.err, Catch::StartsWith("pastebin: error: cannot reach the pastebin server"));
  }
  auto odd =
      InNetns("echo x | " + bin + " put", {{"HOME", home.path()}, {"PASTEBIN_AUTOSTART", "maybe"}});
  CHECK(odd.exit_code == 2);
  CHECK(odd.err ==
        "pastebin: error: PASTEBIN_AUTOSTART is 'maybe': expected yes or no (or "
        "true/false, on/off, 1/0)\n");
  WriteFile(home / "config", "autostart = off\n");
  auto config = InNetns("mkdir -p $HOME/.config/pastebin && cp " + (home / "config") +
                            " $HOME/.config/pastebin/config && echo x | " + bin + " put",
                        {{"HOME", home.path()}});
  CHECK(config.exit_code == 4);
  CHECK(access((home / ".local/share/pastebin/pasted.lock").c_str(), F_OK) != 0);
}

TEST_CASE("admin commands reach the autostarted pasted however its address is spelled") {
  SkipUnlessNetns();
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  std::string bin = BinaryPath("pastebin");
  auto r = InNetns("echo x | " + bin + " put >/dev/null && " + bin +
                       " --server http://localhost:8077 gc && " + bin +
                       " --server http://127.0.0.1:8077 stats && " + bin + " gc",
                   {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("admin routes need") == std::string::npos);
}

TEST_CASE("an autostarted pasted gives admin to its own user only") {
  // Regression: it treated loopback as admin, so any local user could list
  // other users' links with pastebin stats, and run gc.
  SkipUnlessNetns();
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  std::string bin = BinaryPath("pastebin");
  std::string other =
      "setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/nonexistent ";
  auto r = InNetns("echo mine | " + bin + " put >/dev/null && " + bin + " stats && " + other + bin +
                       " stats; echo \"other: $?\"; " + other + bin +
                       " --server http://127.0.0.1:8077 stats; echo \"named: $?\"; " + bin +
                       " daemon stop",
                   {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(std::regex_match(r.out, std::regex("no visits yet\nstored: 1 paste, 5 B pasted, 5 B after "
                                           "compression \\(100%\\)\nother: 4\nnamed: "
                                           "5\nstopped pasted \\(pid [0-9]+\\)\n")));
  // Another user's pastebin does not take root's daemon for its own...
  CHECK_THAT(r.err, Catch::Contains("pastebin: error: 127.0.0.1:8077 is held by another user "
                                    "(uid 0), not by your pasted; nothing was sent there."));
  // ...and named explicitly, root's daemon does not take it for an admin.
  CHECK_THAT(r.err, Catch::Contains("pastebin: error: admin routes need 'Authorization: Bearer "
                                    "TOKEN' with pasted's admin token"));
  struct stat st;
  REQUIRE(stat((data + "/admin.token").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

// Regression: the CLI sent the user's pastes, and for gc and stats the
// admin token from its data dir, to whatever listened on 127.0.0.1:8077 —
// another local user who bound the port first received both.
TEST_CASE("another user holding the default port gets no paste and no token") {
  SkipUnlessNetns();
  if (access("/usr/bin/python3", X_OK) != 0 || !HaveProgram("setpriv")) {
    SkipTest("needs /usr/bin/python3 and setpriv");
  }
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  std::string bin = BinaryPath("pastebin");
  std::string captured = home / "captured";
  // A listener as nobody that keeps every byte it is sent, answering each
  // connection as a pasted would (so nothing is refused for it).
  std::string squatter =
      "import socket, sys\n"
      "s = socket.socket(); s.bind(('127.0.0.1', 8077)); s.listen(16)\n"
      "out = open(sys.argv[1], 'ab', buffering=0)\n"
      "while True:\n"
      "  c, _ = s.accept(); c.settimeout(1)\n"
      "  try:\n"
      "    out.write(c.recv(65536))\n"
      "    c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\n{}')\n"
      "  except Exception: pass\n"
      "  c.close()\n";
  WriteFile(home / "squatter.py", squatter);
  WriteFile(captured, "");
  chmod(home.path().c_str(), 0755);
  chmod(captured.c_str(), 0666);
  // The user's own data dir already holds an admin token, as after an
  // earlier autostart.
  REQUIRE(MakePrivateDirsForTest(data));
  WriteFile(data + "/admin.token", "0123456789abcdef0123456789abcdef\n");
  auto r = InNetns("setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 " +
                       (home / "squatter.py") + " " + captured +
                       " </dev/null >/dev/null 2>&1 & S=$!; sleep 0.5; "
                       "echo secret paste | " +
                       bin + " put; echo \"put: $?\"; " + bin + " gc; echo \"gc: $?\"; " + bin +
                       " stats; echo \"stats: $?\"; " + bin +
                       " get http://127.0.0.1:8077/Ab3dE9x; echo \"get: $?\"; kill $S",
                   {{"HOME", home.path()}});
  INFO(r.err);
  CHECK(r.out == "put: 4\ngc: 4\nstats: 4\nget: 4\n");
  CHECK_THAT(r.err,
             Catch::Contains("pastebin: error: 127.0.0.1:8077 is held by another user (uid "));
  CHECK_THAT(r.err, Catch::Contains("nothing was sent there"));
  CHECK(ReadFile(captured).empty());                          // not a byte
  CHECK(access((data + "/pasted.lock").c_str(), F_OK) != 0);  // and nothing autostarted
}

}  // namespace
}  // namespace pastebin::testing
