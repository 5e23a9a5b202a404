#include "daemon/stats/access_log.h"

#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

using testing::ReadFile;
using testing::TempDir;

// Every byte 0xab: IDs are predictable.
class FixedRandom : public Random {
 public:
  bool Fill(uint8_t* buf, size_t n) override {
    for (size_t i = 0; i < n; ++i) buf[i] = 0xab;
    return true;
  }
};
FixedRandom fixed;
const std::string kHeader = "#pasted access log abababababababababababababababab\n";

TEST_CASE("access log lines reach the file only when flushed, in order") {
  TempDir dir;
  auto log = AccessLog::Open(dir / "access.log", fixed);
  REQUIRE(log.ok());
  (*log)->Append("one");
  (*log)->Append("two");
  CHECK(ReadFile(dir / "access.log") == kHeader);  // nothing written by Append
  REQUIRE((*log)->Flush().ok());
  CHECK(ReadFile(dir / "access.log") == kHeader + "one\ntwo\n");
  (*log)->Append("three");
  REQUIRE((*log)->Flush().ok());
  CHECK(ReadFile(dir / "access.log") == kHeader + "one\ntwo\nthree\n");
  struct stat st;
  REQUIRE(stat((dir / "access.log").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("reopen after a rename finishes the old file and starts a new one") {
  TempDir dir;
  auto log = AccessLog::Open(dir / "access.log", fixed);
  REQUIRE(log.ok());
  (*log)->Append("before rotation");
  REQUIRE((*log)->Flush().ok());
  REQUIRE(rename((dir / "access.log").c_str(), (dir / "access.log.1").c_str()) == 0);
  (*log)->Append("between rename and reopen");
  REQUIRE((*log)->Reopen().ok());
  (*log)->Append("after reopen");
  REQUIRE((*log)->Flush().ok());
  CHECK(ReadFile(dir / "access.log.1") == kHeader + "before rotation\nbetween rename and reopen\n");
  CHECK(ReadFile(dir / "access.log") == kHeader + "after reopen\n");
}

TEST_CASE("the access log is flushed when it closes") {
  TempDir dir;
  {
    auto log = AccessLog::Open(dir / "access.log", fixed);
    REQUIRE(log.ok());
    (*log)->Append("last words");
  }
  CHECK(ReadFile(dir / "access.log") == kHeader + "last words\n");
}

TEST_CASE("each new or emptied access log starts with an ID line of its own") {
  TempDir dir;
  auto log = AccessLog::Open(dir / "access.log", SystemRandom());
  REQUIRE(log.ok());
  (*log)->Append("line");
  REQUIRE((*log)->Flush().ok());
  std::string first = ReadFile(dir / "access.log");
  REQUIRE(first.size() == 19 + 32 + 1 + 5);
  // logrotate's copytruncate empties the file under the daemon.
  REQUIRE(truncate((dir / "access.log").c_str(), 0) == 0);
  (*log)->Append("line");
  REQUIRE((*log)->Flush().ok());
  std::string second = ReadFile(dir / "access.log");
  CHECK_THAT(second, Catch::StartsWith("#pasted access log "));
  CHECK(second != first);
  CHECK(second.substr(52) == "line\n");
  // A file that already has lines gets no second ID.
  REQUIRE((*log)->Reopen().ok());
  CHECK(ReadFile(dir / "access.log") == second);
}

TEST_CASE("lines a failed write left are written, first, by the next flush") {
  TempDir dir;
  auto log = AccessLog::Open(dir / "access.log", fixed);
  REQUIRE(log.ok());
  for (int round = 0; round < 3; ++round) {  // buffers reused from flush to flush
    (*log)->Append("kept " + std::to_string(round));
    REQUIRE((*log)->Flush().ok());
  }
  const std::string before = ReadFile(dir / "access.log");
  (*log)->Append("first");
  (*log)->Append("second");
  // The file may not grow: write() fails with EFBIG (SIGXFSZ ignored).
  struct rlimit old_limit;
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  struct rlimit no_growth = old_limit;
  no_growth.rlim_cur = before.size();
  REQUIRE(setrlimit(RLIMIT_FSIZE, &no_growth) == 0);
  Status failed = (*log)->Flush();
  REQUIRE(setrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  signal(SIGXFSZ, old_handler);
  CHECK(failed.message() == "cannot write access log " + (dir / "access.log") + ": File too large");
  CHECK(ReadFile(dir / "access.log") == before);
  (*log)->Append("third");
  REQUIRE((*log)->Flush().ok());
  CHECK(ReadFile(dir / "access.log") == before + "first\nsecond\nthird\n");
  CHECK(before == kHeader + "kept 0\nkept 1\nkept 2\n");
}

TEST_CASE("an access log that cannot be opened names the path") {
  TempDir dir;
  auto log = AccessLog::Open(dir / "no/such/dir/access.log", fixed);
  REQUIRE_FALSE(log.ok());
  CHECK(log.status().message() ==
        "cannot open access log " + (dir / "no/such/dir/access.log") +
            ": No such file or directory; check the access_log setting and "
            "permissions");
}

}  // namespace
}  // namespace pastebin
