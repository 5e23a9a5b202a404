// Process signals, handled without asynchronous handlers: SIGTERM, SIGINT
// and SIGHUP are blocked in every thread and collected by the main thread
// with sigtimedwait, so no code runs in signal context at all.
#ifndef PASTEBIN_DAEMON_BASE_SIGNALS_H_
#define PASTEBIN_DAEMON_BASE_SIGNALS_H_

namespace pastebin {

enum class SignalEvent { kNone, kTerminate, kReload };

// Blocks the signals above in the calling thread; threads started afterwards
// inherit the mask. Call first thing in main(). Also ignores SIGPIPE, so a
// client that hangs up is an error on its socket, not the end of the process.
void BlockSignals();

// Waits up to timeout_ms for one of the blocked signals: kTerminate for
// SIGTERM/SIGINT, kReload for SIGHUP, kNone on timeout.
SignalEvent WaitForSignal(int timeout_ms);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BASE_SIGNALS_H_
