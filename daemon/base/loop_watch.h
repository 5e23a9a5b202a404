// LoopWatch: an event loop's watch over the sockets of other parts (a
// database connection, say), so a part can wait for its server on the
// loop's own thread: no thread of its own to wake, and none to wake the
// loop back. Each HTTP event loop is one (http_loop.h); Current() is the
// loop running on the calling thread.
//
// Every callback runs on the loop's thread, between its rounds of events;
// all calls are from that thread too.
#ifndef PASTEBIN_DAEMON_BASE_LOOP_WATCH_H_
#define PASTEBIN_DAEMON_BASE_LOOP_WATCH_H_

#include <stdint.h>

#include <functional>

namespace pastebin {

class LoopWatch {
 public:
  using Ready = std::function<void(uint32_t events)>;
  using Round = std::function<void(bool stopping)>;

  virtual ~LoopWatch() = default;

  // ready(events) runs each round fd is ready for events (EPOLLIN,
  // EPOLLOUT; EPOLLERR and EPOLLHUP come unasked), until Unwatch(fd). A
  // second Watch of fd changes its events and callback. False, with errno,
  // if the loop cannot watch it.
  virtual bool Watch(int fd, uint32_t events, Ready ready) = 0;
  // Before fd is closed.
  virtual void Unwatch(int fd) = 0;
  // round(false) runs after each round of events, before the loop waits
  // (at least ten times a second), and round(true) once as the loop
  // stops: what the part keeps on this loop must be let go then.
  virtual void EachRound(Round round) = 0;
  // The next round does not wait for events: for a part that held
  // something back to the round after, where it may have company.
  virtual void RoundAgain() = 0;
  // The next wait lasts ms at most: for a part that keeps something while
  // the loop is busy and lets it go once a round finds nothing to do.
  virtual void WaitAtMost(int ms) = 0;

  // The loop running on this thread, or null on any other thread.
  static LoopWatch* Current();

 protected:
  // The loop marks its thread as it starts and as it ends.
  static void SetCurrent(LoopWatch* loop);
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_LOOP_WATCH_H_
