#include "daemon/access_log.h"

#include <stdio.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

using testing::ReadFile;
using testing::TempDir;

TEST_CASE("access log lines reach the file only when flushed, in order") {
  TempDir dir;
  auto log = AccessLog::Open(dir / "access.log");
  REQUIRE(log.ok());
  (*log)->Append("one");
  (*log)->Append("two");
  CHECK(ReadFile(dir / "access.log").empty());  // nothing written by Append
  REQUIRE((*log)->Flush().ok());
  CHECK(ReadFile(dir / "access.log") == "one\ntwo\n");
  (*log)->Append("three");
  REQUIRE((*log)->Flush().ok());
  CHECK(ReadFile(dir / "access.log") == "one\ntwo\nthree\n");
  struct stat st;
  REQUIRE(stat((dir / "access.log").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("reopen after a rename finishes the old file and starts a new one") {
  TempDir dir;
  auto log = AccessLog::Open(dir / "access.log");
  REQUIRE(log.ok());
  (*log)->Append("before rotation");
  REQUIRE((*log)->Flush().ok());
  REQUIRE(rename((dir / "access.log").c_str(), (dir / "access.log.1").c_str()) == 0);
  (*log)->Append("between rename and reopen");
  REQUIRE((*log)->Reopen().ok());
  (*log)->Append("after reopen");
  REQUIRE((*log)->Flush().ok());
  CHECK(ReadFile(dir / "access.log.1") ==
        "before rotation\nbetween rename and reopen\n");
  CHECK(ReadFile(dir / "access.log") == "after reopen\n");
}

TEST_CASE("the access log is flushed when it closes") {
  TempDir dir;
  {
    auto log = AccessLog::Open(dir / "access.log");
    REQUIRE(log.ok());
    (*log)->Append("last words");
  }
  CHECK(ReadFile(dir / "access.log") == "last words\n");
}

TEST_CASE("an access log that cannot be opened names the path") {
  TempDir dir;
  auto log = AccessLog::Open(dir / "no/such/dir/access.log");
  REQUIRE_FALSE(log.ok());
  CHECK(log.status().message() ==
        "cannot open access log " + (dir / "no/such/dir/access.log") +
            ": No such file or directory; check the access_log setting and "
            "permissions");
}

}  // namespace
}  // namespace pastebin
