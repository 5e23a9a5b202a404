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
  return Run({"/usr/bin/unshare", "-n", "/bin/sh", "-c",
              "ip link set lo up && " + script},
             "", env);
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
  auto r = InNetns("L=$(echo hello | " + bin + " put) && echo \"$L\" && " + bin +
                       " get \"$L\"",
                   {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(std::regex_match(r.out, std::regex("http://127\\.0\\.0\\.1:8077/[A-Za-z0-9]{7}\nhello\n")));
  CHECK(r.err == "pastebin: started pasted in the background on "
                 "http://127.0.0.1:8077 (data and log in " + data + ")\n");
  CHECK_THAT(ReadFile(data + "/pasted.log"), Catch::Contains("listening on http://127.0.0.1:8077"));
}

TEST_CASE("two CLIs starting pasted at once both succeed with one daemon") {
  SkipUnlessNetns();
  TempDir home;
  std::string data = home / ".local/share/pastebin";
  std::string bin = BinaryPath("pastebin");
  auto r = InNetns("(echo one | " + bin + " put > " + (home / "one") + ") & (echo two | " +
                       bin + " put > " + (home / "two") + ") & wait && " + bin + " get $(cat " +
                       (home / "one") + ") && " + bin + " get $(cat " + (home / "two") + ")",
                   {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "one\ntwo\n");
  // However the race went, exactly one daemon served.
  std::string log = ReadFile(data + "/pasted.log");
  size_t listening = 0;
  for (size_t at = log.find("listening on"); at != std::string::npos;
       at = log.find("listening on", at + 1)) {
    ++listening;
  }
  CHECK(listening == 1);
}

TEST_CASE("a configured server is never autostarted") {
  SkipUnlessNetns();
  TempDir home;
  std::string bin = BinaryPath("pastebin");
  auto flag = InNetns("echo x | " + bin + " --server http://127.0.0.1:8077 put",
                      {{"HOME", home.path()}});
  CHECK(flag.exit_code == 4);
  auto env = InNetns("echo x | " + bin + " put",
                     {{"HOME", home.path()}, {"PASTEBIN_SERVER", "http://127.0.0.1:8077"}});
  CHECK(env.exit_code == 4);
  auto off = InNetns("echo x | " + bin + " put",
                     {{"HOME", home.path()}, {"PASTEBIN_AUTOSTART", "0"}});
  CHECK(off.exit_code == 4);
  CHECK_THAT(off.err, Catch::StartsWith("pastebin: error: cannot reach the pastebin server"));
  WriteFile(home / "config", "autostart = no\n");
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
  auto r = InNetns("echo mine | " + bin + " put >/dev/null && " + bin + " stats && " +
                       "setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/nonexistent " +
                       bin + " stats; echo \"other: $?\"; " + bin + " daemon stop",
                   {{"HOME", home.path()}});
  KillAutostarted(data);
  INFO(r.err);
  CHECK(std::regex_match(r.out,
                         std::regex("no visits yet\nstored: 1 paste, 5 B pasted, 5 B after "
                                    "compression \\(100%\\)\nother: 5\nstopped pasted \\(pid [0-9]+\\)\n")));
  CHECK_THAT(r.err, Catch::Contains("pastebin: error: admin routes need 'Authorization: Bearer "
                                    "TOKEN' with pasted's admin token"));
  struct stat st;
  REQUIRE(stat((data + "/admin.token").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

}  // namespace
}  // namespace pastebin::testing
