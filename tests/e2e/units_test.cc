// The shipped systemd units, installed by cmake --install, pass
// systemd-analyze verify.
#include <catch2/catch.hpp>
#include <regex>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

TEST_CASE("installed systemd units pass systemd-analyze verify and security") {
  if (!HaveProgram("systemd-analyze")) {
    SkipTest("systemd-analyze is not installed (Debian package systemd)");
  }
  TempDir prefix;
  auto install =
      Run({"/usr/bin/env", "cmake", "--install", PASTEBIN_BUILD_DIR, "--prefix", prefix.path()});
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  // Shell completion where each shell looks (bash-completion's
  // completionsdir, as its pkg-config file names it, under the prefix).
  std::string completion = std::string(PASTEBIN_SOURCE_DIR) + "/completions/";
  std::string bash_dir = prefix / "share/bash-completion/completions/";
  CHECK(ReadFile(bash_dir + "pastebin") == ReadFile(completion + "pastebin.bash"));
  CHECK(ReadFile(bash_dir + "pasted") == ReadFile(completion + "pastebin.bash"));
  CHECK(ReadFile(prefix / "share/zsh/vendor-completions/_pastebin") ==
        ReadFile(completion + "_pastebin"));
  CHECK(ReadFile(prefix / "share/fish/vendor_completions.d/pastebin.fish") ==
        ReadFile(completion + "pastebin.fish"));
  CHECK(ReadFile(prefix / "share/fish/vendor_completions.d/pasted.fish") ==
        ReadFile(completion + "pasted.fish"));
  std::string units = prefix / "lib/systemd/system";
  std::string service = ReadFile(units + "/pastebin-gc.service");
  CHECK_THAT(service, Catch::Contains("ExecStart=" + (prefix / "bin/pastebin") + " gc"));
  // gc is an admin route: both ways of running it bring pasted's token.
  CHECK_THAT(service, Catch::Contains("LoadCredential=admin-token:/var/lib/pasted/admin.token"));
  CHECK_THAT(service, Catch::Contains("Environment=PASTEBIN_ADMIN_TOKEN_FILE=%d/admin-token"));
  std::string cron = ReadFile(prefix / "share/doc/pastebin/examples/pastebin-gc.cron");
  CHECK_THAT(cron,
             Catch::Contains("*/15   * *   *   *   root   " + (prefix / "bin/pastebin") + " gc"));
  CHECK_THAT(cron, Catch::Contains("\nPASTEBIN_ADMIN_TOKEN_FILE=/var/lib/pasted/admin.token\n"));
  std::string pasted = ReadFile(units + "/pasted.service");
  CHECK_THAT(pasted,
             Catch::Contains("ExecStart=" + (prefix / "bin/pasted") + " --config " +
                             (prefix / "etc/pasted.conf") + " --data-dir ${STATE_DIRECTORY}"));
  CHECK_THAT(pasted, Catch::Contains("Type=notify"));
  // The installed example config is one pasted accepts.
  auto check = Run({prefix / "bin/pasted", "--config", prefix / "etc/pasted.conf", "--data-dir",
                    prefix / "data", "--version"});
  CHECK(check.exit_code == 0);
  auto verify =
      Run({"/usr/bin/env", "systemd-analyze", "verify", "--man=no", units + "/pastebin-gc.service",
           units + "/pastebin-gc.timer", units + "/pasted.service", units + "/pasted.socket"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  CHECK(verify.err.empty());

  // Hardened well: systemd-analyze rates pasted.service's exposure.
  auto security = Run({"/usr/bin/env", "systemd-analyze", "security", "--offline=true",
                       "--threshold=20", units + "/pasted.service"});
  INFO(security.out << security.err);
  CHECK(security.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(
      security.out, m, std::regex(R"(Overall exposure level for pasted\.service: ([0-9.]+))")));
  CHECK(std::stod(m[1]) <= 2.0);
}

}  // namespace
}  // namespace pastebin::testing
