// pastebin daemon status|start|stop|restart|reload [--data-dir DIR]
//
// Acts on the pasted that holds DIR's lock (by default the data dir an
// autostarted pasted uses), through the pid pasted writes into
// DIR/pasted.lock: never on other users' daemons, as pkill would.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/autostart.h"
#include "cli/command.h"
#include "cli/local_server.h"

namespace pastebin {
namespace {

constexpr int kStopTimeoutMs = 20000;

bool StillHeld(const std::string& dir) {
  auto h = LockHolder(dir);
  return h.ok() && h->has_value();
}

class DaemonCommand : public Command {
 public:
  const char* Name() const override { return "daemon"; }
  const char* Summary() const override {
    return "Show, start, stop, restart or reload (SIGHUP) your own pasted: the one using "
           "--data-dir";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_option("ACTION", action_, "status, start, stop, restart or reload")
        ->required()
        ->check(CLI::IsMember({"status", "start", "stop", "restart", "reload"}));
    app.add_flag("--json", json_,
                 "status: print {\"running\", \"pid\", \"url\", \"data_dir\"} instead of a line");
    app.add_option("-d,--data-dir", data_dir_,
                   "The daemon's data dir (default: the one autostart uses, "
                   "$XDG_DATA_HOME/pastebin)")
        ->type_name("DIR");
  }

  int Run(const Globals&, Io& io) override {
    std::string dir = data_dir_.empty() ? AutostartDataDir() : data_dir_;
    if (dir.empty()) return Fail(io, kExitUsage, "HOME is not set; pass --data-dir DIR");
    if (action_ == "start") return Start(io, dir);
    if (action_ == "restart") {
      action_ = "stop";
      int stopped = Run(Globals(), io);
      if (stopped != kExitOk) return stopped;
      return Start(io, dir);
    }
    auto holder = LockHolder(dir);
    if (!holder.ok()) return Fail(io, kExitFailure, holder.status().message());
    if (json_ && action_ == "status") {
      nlohmann::json j = {{"running", holder->has_value()}, {"data_dir", dir}};
      j["pid"] = *holder ? nlohmann::json((*holder)->pid) : nlohmann::json(nullptr);
      j["url"] = *holder && !(*holder)->url.empty() ? nlohmann::json((*holder)->url)
                                                    : nlohmann::json(nullptr);
      io.out << j.dump() << "\n";
      return *holder ? kExitOk : kExitNotFound;
    }
    if (!*holder) {
      if (action_ == "stop") {
        io.out << "pasted was not running (data dir " << dir << ")\n";
        return kExitOk;
      }
      io.out << "pasted is not running (data dir " << dir << ")\n";
      return kExitNotFound;
    }
    const LockHolderInfo& h = **holder;
    if (action_ == "status") {
      io.out << "pasted is running (pid " << h.pid << ")" << (h.url.empty() ? "" : " on " + h.url)
             << " (data dir " << dir << ")\n";
      return kExitOk;
    }
    int sig = action_ == "stop" ? SIGTERM : SIGHUP;
    if (kill(h.pid, sig) != 0) {
      return Fail(io, kExitFailure,
                  "cannot signal pasted (pid " + std::to_string(h.pid) + "): " + strerror(errno));
    }
    if (action_ == "reload") {
      io.out << "asked pasted (pid " << h.pid << ") to reopen its logs\n";
      return kExitOk;
    }
    // It answers what is in flight first; its lock goes with it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStopTimeoutMs);
    while (StillHeld(dir)) {
      if (std::chrono::steady_clock::now() > deadline) {
        return Fail(
            io, kExitFailure,
            "pasted (pid " + std::to_string(h.pid) + ") did not stop within 20 s; see its log");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    io.out << "stopped pasted (pid " << h.pid << ")\n";
    return kExitOk;
  }

 private:
  // Starts the pasted autostart would (on http://127.0.0.1:8077, its data
  // in the autostart data dir), unless one holds dir already.
  int Start(Io& io, const std::string& dir) {
    auto holder = LockHolder(dir);
    if (!holder.ok()) return Fail(io, kExitFailure, holder.status().message());
    if (*holder) {
      const LockHolderInfo& h = **holder;
      io.out << "pasted is already running (pid " << h.pid << ")"
             << (h.url.empty() ? "" : " on " + h.url) << " (data dir " << dir << ")\n";
      return kExitOk;
    }
    if (dir != AutostartDataDir()) {
      return Fail(io, kExitUsage,
                  "daemon start starts the pasted autostart uses (data dir " + AutostartDataDir() +
                      "); for " + dir + ", run 'pasted --data-dir " + dir + "'");
    }
    // Said once, here (its own announcement is for commands that start it
    // on the way).
    std::ostringstream announced;
    Io muted{io.in, io.out, announced};
    Status started = StartLocalServer(LocalDefaultServer(), muted);
    if (!started.ok()) return Fail(io, kExitUnreachable, started.message());
    auto now = LockHolder(dir);
    if (now.ok() && *now) {
      io.out << "started pasted (pid " << (*now)->pid << ")"
             << ((*now)->url.empty() ? "" : " on " + (*now)->url) << " (data dir " << dir << ")\n";
    }
    return kExitOk;
  }

  std::string action_;
  std::string data_dir_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeDaemonCommand() { return std::make_unique<DaemonCommand>(); }

}  // namespace pastebin
