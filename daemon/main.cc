// pasted: settings → bind, open the stores → ready → serve → drain → exit.
#include <malloc.h>
#include <sys/stat.h>

#include <string>
#include <thread>
#include <vector>

#include "common/random.h"
#include "common/secret_args.h"
#include "daemon/base/log.h"
#include "daemon/base/signals.h"
#include "daemon/base/systemd.h"
#include "daemon/base/test_clock.h"
#include "daemon/command_line.h"
#include "daemon/daemon.h"

int main(int argc, char** argv) {
  using namespace pastebin;  // NOLINT: main only

  // Secrets given as flags leave /proc/PID/cmdline (common/secret_args.h).
  std::vector<std::string> args =
      TakeArgsHidingSecrets(argc, argv,
                            {{"--admin-token", "", nullptr},
                             {"--postgres-url", "", ConninfoHasPassword},
                             {"--postgres-read-url", "", ConninfoHasPassword}});
  std::vector<char*> own;
  for (std::string& arg : args) own.push_back(arg.data());
  CommandLine cl = ParseCommandLine(argc, own.data());
  if (cl.exit_code >= 0) return cl.exit_code;
  SetLogLevel(cl.settings.log_level);
  // Buffers from 256 KiB up (bodies, big answers) are mapped and unmapped
  // on their own. Left dynamic, glibc raises this threshold after the first
  // big free and later big buffers stay in the heap: RSS stays at its peak.
  mallopt(M_MMAP_THRESHOLD, 256 << 10);
  BlockSignals();  // before any thread exists, so all inherit the mask

  std::string fake_clock;
  const Clock& clock = ClockFromEnvironment(&fake_clock);
  if (!fake_clock.empty()) {
    LogWarn("the clock is read from " + fake_clock + " (" + kFakeClockEnv +
            " is set; for tests only)");
  }
  // Everything pasted creates (database, bodies, logs, lock) is its own:
  // 0600 files, 0700 directories. The Unix socket is opened up on purpose.
  umask(077);
  auto daemon = Daemon::Open(cl.settings, clock, SystemRandom());
  if (!daemon.ok()) {
    LogError(daemon.status().message());
    return 1;
  }
  std::string url = (*daemon)->Ready();
  LogInfo("listening on " + url + " (data dir " + cl.settings.data_dir + ")");

  std::thread server([&] { (*daemon)->Serve(); });
  NotifyServiceManager("READY=1\nSTATUS=serving " + url);
  for (;;) {
    SignalEvent event = WaitForSignal(1000);
    if (event == SignalEvent::kTerminate) break;
    if (event == SignalEvent::kReload) {
      NotifyServiceManager("RELOADING=1");
      (*daemon)->ReopenLogs();
      NotifyServiceManager("READY=1");
    }
    (*daemon)->Tick();
  }

  LogInfo("shutting down: finishing requests in flight");
  NotifyServiceManager("STOPPING=1");
  (*daemon)->Stop();
  server.join();
  (*daemon)->FinishShutdown();
  LogInfo("stopped");
  return 0;
}
