#include "daemon/base/signals.h"

#include <errno.h>
#include <signal.h>
#include <time.h>

namespace pastebin {
namespace {

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void BlockSignals() {
  sigset_t set = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

SignalEvent WaitForSignal(int timeout_ms) {
  sigset_t set = HandledSignals();
  struct timespec ts;
  ts.tv_sec = timeout_ms / 1000;
  ts.tv_nsec = static_cast<long>(timeout_ms % 1000) * 1000000L;
  int sig = sigtimedwait(&set, nullptr, &ts);
  if (sig == SIGTERM || sig == SIGINT) return SignalEvent::kTerminate;
  if (sig == SIGHUP) return SignalEvent::kReload;
  return SignalEvent::kNone;  // timeout or EINTR
}

}  // namespace pastebin
