// TestLoop: an event loop on the test's thread, as pasted's HTTP loops
// are one (LoopWatch): it watches descriptors with epoll and runs the round
// hooks.
#ifndef PASTEBIN_TESTS_SUPPORT_TEST_LOOP_H_
#define PASTEBIN_TESTS_SUPPORT_TEST_LOOP_H_

#include <chrono>
#include <functional>
#include <map>
#include <vector>

#include "daemon/base/loop_watch.h"

namespace pastebin::testing {

class TestLoop : public LoopWatch {
 public:
  TestLoop();
  ~TestLoop() override;
  bool Watch(int fd, uint32_t events, Ready ready) override;
  void Unwatch(int fd) override;
  void EachRound(Round round) override { rounds_.push_back(std::move(round)); }
  void RoundAgain() override { again_ = true; }
  void WaitAtMost(int /*ms*/) override {}  // its waits are short already
  size_t watched() const { return ready_.size(); }
  // One round: what is ready (waiting up to 50 ms, unless RoundAgain), then
  // the round hooks.
  void RunRound();
  // Runs rounds until done() or limit passes; done() then.
  bool RunUntil(const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(10));
  // The hooks' last round (round(true)); the thread has no loop after.
  void Stop();

 private:
  int epfd_;
  std::map<int, Ready> ready_;
  std::vector<Round> rounds_;
  bool again_ = false;
};

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_TEST_LOOP_H_
