#include "cli/autostart.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "cli/local_server.h"
#include "common/strings.h"

namespace pastebin {
namespace {

// The most an autostarted pasted's log may hold before it starts over.
constexpr off_t kMaxLogBytes = 1 << 20;

constexpr int kReadyTimeoutMs = 10000;
constexpr int kPollMs = 20;

// pasted beside this pastebin (a build tree or one install prefix), else
// the first on PATH.
std::string PastedBinary() {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n > 0) {
    std::string dir(self, static_cast<size_t>(n));
    std::string beside = dir.substr(0, dir.rfind('/')) + "/pasted";
    if (access(beside.c_str(), X_OK) == 0) return beside;
  }
  const char* path = getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/pasted";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// Starts `argv` detached from this process: its own session, reparented to
// init (so it outlives us and never becomes our zombie), output to log.
// Returns its pid, or -1.
pid_t SpawnDetached(const std::vector<std::string>& argv, const std::string& log) {
  int pids[2];
  if (pipe2(pids, O_CLOEXEC) != 0) return -1;
  pid_t child = fork();
  if (child < 0) {
    close(pids[0]);
    close(pids[1]);
    return -1;
  }
  if (child == 0) {
    setsid();
    pid_t grandchild = fork();
    if (grandchild != 0) {
      // The middle process tells its parent who will serve, and goes.
      ssize_t ignored = write(pids[1], &grandchild, sizeof(grandchild));
      (void)ignored;
      _exit(0);
    }
    umask(077);
    if (chdir("/") != 0) _exit(127);
    int in = open("/dev/null", O_RDONLY);
    int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (in < 0 || out < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pids[1]);
  pid_t grandchild = -1;
  if (read(pids[0], &grandchild, sizeof(grandchild)) != sizeof(grandchild)) grandchild = -1;
  close(pids[0]);
  int status = 0;
  waitpid(child, &status, 0);  // the middle process exits at once
  return grandchild;
}

// The last line of a file, without its time stamp; "" if none.
std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  // "2026-12-04T21:00:00Z error: ..." → "error: ..."
  size_t space = last.find(' ');
  if (space != std::string::npos && space > 0 && last[space - 1] == 'Z') last.erase(0, space + 1);
  return last;
}

}  // namespace

Result<std::optional<LockHolderInfo>> LockHolder(const std::string& dir) {
  std::string path = dir + "/pasted.lock";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<LockHolderInfo>();
    return InvalidArgument("cannot read " + path + ": " + strerror(errno));
  }
  bool held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd);
  if (!held) return std::optional<LockHolderInfo>();
  std::ifstream in(path);
  LockHolderInfo h;
  std::string pid;
  if (!std::getline(in, pid) || pid.empty() || pid.size() > 9 ||
      pid.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument(path + " names no pid; is it pasted's lock file?");
  }
  h.pid = static_cast<pid_t>(std::stol(pid));
  std::getline(in, h.url);
  return std::optional<LockHolderInfo>(h);
}

Result<bool> AutostartApplies(const Globals& globals) {
  const char* env_server = getenv("PASTEBIN_SERVER");
  if (!globals.server_flag.empty() || (env_server && env_server[0]) || globals.config.server) {
    return false;
  }
  // The same words as the config file's autostart key.
  const char* env = getenv("PASTEBIN_AUTOSTART");
  if (env && env[0]) {
    std::optional<bool> on = ParseBool(env);
    if (!on) {
      return InvalidArgument("PASTEBIN_AUTOSTART is '" + std::string(env) +
                             "': expected yes or no (or true/false, on/off, 1/0)");
    }
    return *on;
  }
  return globals.config.autostart.value_or(true);
}

std::string AutostartDataDir() { return XdgPastebinDir("XDG_DATA_HOME", ".local/share"); }

Status StartLocalServer(const ServerUrl& server, Io& io) {
  std::string binary = PastedBinary();
  std::string data_dir = AutostartDataDir();
  if (binary.empty() || data_dir.empty()) {
    return Status(Code::kUnavailable, "no pastebin server answers at " + server.Base() +
                                          (binary.empty() ? " and pasted was not found to start one"
                                                          : " and HOME is not set to start one") +
                                          "; start pasted, or point --server at a running one");
  }
  std::string log = data_dir + "/pasted.log";
  // A data dir that cannot be made or written is said at once, not after
  // waiting for a daemon that cannot start.
  int log_fd = -1;
  if (MakePrivateDirs(data_dir)) {
    // Each start appends; past kMaxLogBytes the log starts over, the last
    // one kept as pasted.log.1, so it never grows without bound.
    struct stat st {};
    if (stat(log.c_str(), &st) == 0 && st.st_size > kMaxLogBytes) {
      rename(log.c_str(), (log + ".1").c_str());
    }
    log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  }
  if (log_fd < 0) {
    return Status(Code::kUnavailable,
                  "no pastebin server answers at " + server.Base() +
                      " and one cannot be started: " + data_dir + " is not writable (" +
                      strerror(errno) +
                      "); set HOME or XDG_DATA_HOME to a writable directory, or point --server "
                      "at a running pasted");
  }
  close(log_fd);
  std::string listen = server.host + ":" + std::to_string(server.port);
  // Its private socket is how this user's pastebin reaches it (no port
  // another user could hold; admin by peer credentials).
  pid_t started = SpawnDetached(
      {binary, "--listen", listen, "--local-socket", LocalSocketPath(), "--data-dir", data_dir},
      log);
  if (started < 0) {
    return Status(Code::kUnavailable, "could not start " + binary + ": " + strerror(errno));
  }
  HttpClient probe(server);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kReadyTimeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    if (kill(started, 0) != 0 && errno == ESRCH) {
      // It stopped: a daemon of this user's already holds the data dir, or
      // the port is taken. Its last words say which.
      auto r = probe.Send("GET", "/healthz");
      if (r.ok() && r->ok()) return Status::Ok();  // another start won the race
      return Status(Code::kUnavailable,
                    "no pastebin server of yours answers and pasted could "
                    "not start: " +
                        LastLine(log) + " (see " + log + ")");
    }
    auto r = probe.Send("GET", "/healthz");
    if (r.ok() && r->ok()) {
      // Several commands may have raced to start it: the one whose pasted
      // won the data dir's lock says so, the others just go on.
      auto holder = LockHolder(data_dir);
      if (holder.ok() && *holder && (*holder)->pid == started) {
        io.err << "pastebin: started pasted in the background on " << server.Base()
               << " (data and log in " << data_dir << ")\n";
      }
      return Status::Ok();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  }
  return Status(Code::kUnavailable, "started pasted for " + server.Base() +
                                        " but it did not answer within 10 s; see " + log);
}

Result<HttpResponse> SendStartingServer(const Globals& globals, Io& io, const HttpClient& client,
                                        const std::string& method, const std::string& path,
                                        const std::string& body, const std::string& content_type,
                                        const HeaderList& headers, std::ostream* sink) {
  auto res = client.Send(method, path, body, content_type, headers, sink);
  // Only ever the default local address: a URL naming a server (get
  // http://host/X) is that server's business.
  bool local_default = client.server().own_local;
  if (res.ok() || !client.last_refused() || !local_default) return res;
  auto applies = AutostartApplies(globals);
  if (!applies.ok()) return applies.status();
  if (!*applies) return res;
  Status started = StartLocalServer(client.server(), io);
  if (!started.ok()) return started;
  return client.Send(method, path, body, content_type, headers, sink);
}

}  // namespace pastebin
