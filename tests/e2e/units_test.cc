// The shipped systemd units, installed by cmake --install, pass
// systemd-analyze verify.
#include <catch2/catch.hpp>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

TEST_CASE("installed systemd units pass systemd-analyze verify") {
  if (!HaveProgram("systemd-analyze")) {
    SkipTest("systemd-analyze is not installed (Debian package systemd)");
  }
  TempDir prefix;
  auto install = Run({"/usr/bin/env", "cmake", "--install", PASTEBIN_BUILD_DIR,
                      "--prefix", prefix.path()});
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  std::string units = prefix / "lib/systemd/system";
  std::string service = ReadFile(units + "/pastebin-gc.service");
  CHECK_THAT(service, Catch::Contains("ExecStart=" + (prefix / "bin/pastebin") + " gc"));
  CHECK_THAT(ReadFile(prefix / "share/doc/pastebin/examples/pastebin-gc.cron"),
             Catch::Contains("*/15   * *   *   *   nobody " +
                             (prefix / "bin/pastebin") + " gc"));
  auto verify = Run({"/usr/bin/env", "systemd-analyze", "verify", "--man=no",
                     units + "/pastebin-gc.service", units + "/pastebin-gc.timer"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  CHECK(verify.err.empty());
}

}  // namespace
}  // namespace pastebin::testing
