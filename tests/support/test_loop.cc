#include "tests/support/test_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

namespace pastebin::testing {

TestLoop::TestLoop() : epfd_(epoll_create1(EPOLL_CLOEXEC)) { SetCurrent(this); }

TestLoop::~TestLoop() {
  Stop();
  close(epfd_);
}

bool TestLoop::Watch(int fd, uint32_t events, Ready ready) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  bool known = ready_.count(fd) > 0;
  if (epoll_ctl(epfd_, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) return false;
  ready_[fd] = std::move(ready);
  return true;
}

void TestLoop::Unwatch(int fd) {
  if (ready_.erase(fd)) epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
}

void TestLoop::RunRound() {
  epoll_event events[16];
  int n = epoll_wait(epfd_, events, 16, again_ ? 0 : 50);
  again_ = false;
  for (int i = 0; i < n; ++i) {
    auto it = ready_.find(events[i].data.fd);
    if (it != ready_.end()) {
      Ready ready = it->second;
      ready(events[i].events);
    }
  }
  for (size_t i = 0; i < rounds_.size(); ++i) rounds_[i](false);
}

bool TestLoop::RunUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) RunRound();
  return done();
}

void TestLoop::Stop() {
  for (size_t i = 0; i < rounds_.size(); ++i) rounds_[i](true);
  rounds_.clear();
  SetCurrent(nullptr);
}

}  // namespace pastebin::testing
