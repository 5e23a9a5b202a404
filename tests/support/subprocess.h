// Running the real binaries from end-to-end tests: a one-shot command with
// its output captured, and a pasted daemon on a free port.
#ifndef PASTEBIN_TESTS_SUPPORT_SUBPROCESS_H_
#define PASTEBIN_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pastebin::testing {

// build/bin/NAME, or $PASTEBIN_TEST_BIN_DIR/NAME when that is set.
std::string BinaryPath(const std::string& name);

// Ends the current test as skipped (ctest's SKIP_RETURN_CODE, 77), saying
// why on stderr. Only for tests that ctest runs one per process.
[[noreturn]] void SkipTest(const std::string& why);

// True if `name` is an executable on PATH (or in /usr/sbin or /sbin).
bool HaveProgram(const std::string& name);

// Polls (every 10 ms, up to 10 s or the limit given) until done() is true;
// false on timeout. For waiting on another process's progress, never for
// time to pass.
bool WaitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(10));

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with stdin fed from `input`, capturing stdout and
// stderr. The environment is the test's minus PASTEBIN_* and XDG_*
// variables, plus `env` (an empty value unsets the variable).
RunResult Run(const std::vector<std::string>& argv, const std::string& input = "",
              const std::map<std::string, std::string>& env = {});

// A TCP port on 127.0.0.1 that was free a moment ago (bound and let go):
// for a program that must be told its port before it starts.
int FreeLoopbackPort();

// A pasted started with --data-dir DIR, --listen 127.0.0.1:0 unless the
// extra flags name another, and any extra environment (as for Run);
// Start() returns once it logged "listening on URL".
class Daemon {
 public:
  explicit Daemon(std::string data_dir, std::vector<std::string> extra = {},
                  std::map<std::string, std::string> env = {});
  ~Daemon();  // SIGKILL if still running
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Applies setrlimit(resource, value) (soft and hard) in the daemon before
  // it starts, as prlimit(1) would.
  void SetResourceLimit(int resource, uint64_t value) { rlimits_.emplace_back(resource, value); }

  // Starts it; throws std::runtime_error with its log if it does not become
  // ready within 10 s.
  void Start();
  // SIGTERM and wait; returns the exit status (128 + signal if killed).
  int Stop();
  // SIGKILL and wait.
  void Kill();
  void Signal(int sig);
  // Waits up to limit for it to exit by itself; returns its exit status
  // (128 + signal if killed), or -1 if it is still running then.
  int WaitForExit(std::chrono::milliseconds limit);

  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  std::string log() const;
  const std::string& data_dir() const { return data_dir_; }

 private:
  int Wait();
  std::string data_dir_;
  std::vector<std::string> extra_;
  std::map<std::string, std::string> env_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::string url_;
  int port_ = 0;
  int log_generation_ = 0;
  std::vector<std::pair<int, uint64_t>> rlimits_;
};

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_SUBPROCESS_H_
