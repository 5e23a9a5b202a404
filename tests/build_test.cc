// The binaries as built: Debian's hardening (see CMakeLists.txt); the
// sources as committed: formatted by .clang-format.
#include <catch2/catch.hpp>

#include "tests/support/subprocess.h"

namespace pastebin {
namespace {

TEST_CASE("pasted and pastebin carry Debian's hardening flags") {
#ifdef PASTEBIN_SANITIZED
  testing::SkipTest("sanitizer builds are instrumented instead");
#endif
  if (!testing::HaveProgram("hardening-check")) {
    testing::SkipTest("hardening-check (devscripts) is not installed");
  }
  // Control-flow protection cannot be checked: Debian 12's own start files
  // (Scrt1.o, crti.o) lack the IBT/SHSTK notes, so no binary linked there
  // carries them, whatever it was compiled with.
  auto r = testing::Run({"/usr/bin/env", "hardening-check", "--nocfprotection",
                         testing::BinaryPath("pasted"), testing::BinaryPath("pastebin")});
  INFO(r.out + r.err);
  CHECK(r.exit_code == 0);
  for (const char* line : {" Position Independent Executable: yes", " Stack protected: yes",
                           " Fortify Source functions: yes", " Read-only relocations: yes",
                           " Immediate binding: yes", " Stack clash protection: yes"}) {
    CHECK(r.out.find(line) != std::string::npos);
  }
}

TEST_CASE("the sources follow .clang-format") {
  if (!testing::HaveProgram("clang-format")) {
    testing::SkipTest("clang-format is not installed (./scripts/setup installs it)");
  }
  if (!testing::HaveProgram("git")) testing::SkipTest("git is not installed");
  std::string src = PASTEBIN_SOURCE_DIR;
  auto r = testing::Run({"/bin/sh", "-c",
                         "cd " + src +
                             " && git ls-files -z '*.cc' '*.h' | "
                             "xargs -0 clang-format --dry-run --Werror 2>&1"});
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

}  // namespace
}  // namespace pastebin
