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
#include "daemon/store/stores.h"
#include "daemon/transfer/transfer_action.h"

namespace {

// pasted backup DEST, pasted restore SRC: one line of what was done, or the
// error; exit 0 or 1.
int RunAction(const pastebin::CommandLine& cl) {
  using namespace pastebin;  // NOLINT: main only
  umask(077);
  StoreOptions store = StoreOptionsOf(cl.settings);
  bool backup = cl.action == "backup";
  auto done = backup ? BackUpStore(store, cl.action_path) : RestoreStore(store, cl.action_path);
  if (!done.ok()) {
    LogError(done.status().message());
    return 1;
  }
  std::string what = std::to_string(done->pastes) + " pastes, " + std::to_string(done->files) +
                     " body files (" + std::to_string(done->bytes) + " bytes)";
  if (backup) {
    printf("backed up %s from %s to %s", what.c_str(), cl.settings.data_dir.c_str(),
           cl.action_path.c_str());
    if (done->deleted_during > 0) {
      printf("; %lld deleted while it ran left out", static_cast<long long>(done->deleted_during));
    }
    printf("\n");
  } else {
    printf("restored %s from %s into %s\n", what.c_str(), cl.action_path.c_str(),
           cl.settings.data_dir.c_str());
  }
  return 0;
}

}  // namespace

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
  if (cl.action == "export" || cl.action == "import") {
    umask(077);
    return RunTransfer(cl.settings, {cl.action, cl.action_path, cl.import_from, cl.import_keys});
  }
  if (!cl.action.empty()) return RunAction(cl);
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
