#include "common/random.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace pastebin {
namespace {

std::string Draw(size_t n) {
  std::string out(n, '\0');
  REQUIRE(SystemRandom().Fill(reinterpret_cast<uint8_t*>(out.data()), n));
  return out;
}

TEST_CASE("the system random source never hands out the same bytes twice") {
  // Small draws come from a buffer per thread: each must be fresh, across
  // refills of the buffer and across threads.
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string d = Draw(16);
    CHECK(d != std::string(16, '\0'));
    CHECK(seen.insert(d).second);
  }
  std::vector<std::string> other(100);
  std::thread t([&] {
    for (auto& d : other) d = Draw(16);
  });
  t.join();
  for (const auto& d : other) CHECK(seen.insert(d).second);
  // Odd sizes, and one larger than the buffer.
  for (size_t n : {1, 7, 33, 100, 129, 5000}) {
    std::string d = Draw(n);
    CHECK(d.size() == n);
    if (n >= 16) CHECK(d.find(std::string(16, '\0')) == std::string::npos);
  }
}

TEST_CASE("a forked child does not hand out the bytes its parent will") {
  Draw(16);  // the buffer now holds bytes the parent has not used
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::string d(16, '\0');
    bool ok = SystemRandom().Fill(reinterpret_cast<uint8_t*>(d.data()), d.size());
    ssize_t n = ok ? write(fds[1], d.data(), d.size()) : -1;
    _exit(n == 16 ? 0 : 1);
  }
  close(fds[1]);
  std::string from_child(16, '\0');
  REQUIRE(read(fds[0], from_child.data(), 16) == 16);
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(Draw(16) != from_child);
}

TEST_CASE("RandomHex is 2n lowercase hex characters, fresh each time") {
  std::string a = RandomHex(SystemRandom(), 16), b = RandomHex(SystemRandom(), 16);
  CHECK(a.size() == 32);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(a != b);
  CHECK(RandomHex(SystemRandom(), 100).size() == 200);
}

}  // namespace
}  // namespace pastebin
