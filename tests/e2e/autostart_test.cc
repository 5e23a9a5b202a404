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

TEST_CASE("an autostarted pasted gives admin to its own user only") {
  // Regression: it treated loopback as admin, so any local user could list
  // other users' links with pastebin stats, and run gc.
  SkipUnlessNetns();
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  std::string bin = BinaryPath("pastebin");
  auto r =
      InNetns("echo mine | " + bin + " put >/dev/null && " + bin + " stats && " +
                  "setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/nonexistent " +
                  bin + " stats; echo \"other: $?\"; " + bin + " daemon stop",
              {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(std::regex_match(
      r.out, std::regex("no visits yet\nstored: 1 paste, 5 B pasted, 5 B after "
                        "compression \\(100%\\)\nother: 5\nstopped pasted \\(pid [0-9]+\\)\n")));
  CHECK_THAT(r.err, Catch::Contains("pastebin: error: admin routes need 'Authorization: Bearer "
                                    "TOKEN' with pasted's admin token"));
  struct stat st;
  REQUIRE(stat((data + "/admin.token").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

}  // namespace
}  // namespace pastebin::testing
