#include "tests/support/subprocess.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "tests/support/temp_dir.h"

extern char** environ;

namespace pastebin::testing {
namespace {

std::vector<std::string> Environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string var = *e;
    std::string name = var.substr(0, var.find('='));
    if (name.rfind("PASTEBIN_", 0) == 0 || name.rfind("XDG_", 0) == 0) continue;
    if (overrides.count(name)) continue;
    env.push_back(var);
  }
  for (const auto& [name, value] : overrides) {
    if (!value.empty()) env.push_back(name + "=" + value);
  }
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string BinaryPath(const std::string& name) {
  // PASTEBIN_TEST_BIN_DIR runs the suite against other binaries, e.g. an
  // older build, to see a regression test fail before its fix.
  const char* other = getenv("PASTEBIN_TEST_BIN_DIR");
  return std::string(other && other[0] ? other : PASTEBIN_BIN_DIR) + "/" + name;
}

RunResult Run(const std::vector<std::string>& argv_in, const std::string& input,
              const std::map<std::string, std::string>& env_overrides) {
  std::vector<std::string> argv = argv_in;
  std::vector<std::string> env = Environment(env_overrides);
  auto c_argv = CStrings(argv);
  auto c_env = CStrings(env);
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    execve(c_argv[0], c_argv.data(), c_env.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Feed stdin and drain both outputs together, so no pipe fills and
  // deadlocks either side.
  RunResult result;
  size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  int out_fd = out_pipe[0], err_fd = err_pipe[0];
  signal(SIGPIPE, SIG_IGN);
  while (out_fd >= 0 || err_fd >= 0) {
    struct pollfd fds[3];
    int n = 0;
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (out_fd >= 0) fds[n++] = {out_fd, POLLIN, 0};
    if (err_fd >= 0) fds[n++] = {err_fd, POLLIN, 0};
    if (poll(fds, n, -1) < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_fd) {
        ssize_t w = write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == input.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      char buf[65536];
      ssize_t r = read(fds[i].fd, buf, sizeof(buf));
      std::string& sink = fds[i].fd == out_fd ? result.out : result.err;
      if (r > 0) {
        sink.append(buf, static_cast<size_t>(r));
      } else {
        close(fds[i].fd);
        (fds[i].fd == out_fd ? out_fd : err_fd) = -1;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = DecodeWaitStatus(status);
  return result;
}

void SkipTest(const std::string& why) {
  fprintf(stderr, "SKIPPED: %s\n", why.c_str());
  fflush(stderr);
  _exit(77);
}

bool HaveProgram(const std::string& name) {
  const char* path = getenv("PATH");
  std::string dirs = std::string(path ? path : "/usr/bin:/bin") + ":/usr/sbin:/sbin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

Daemon::Daemon(std::string data_dir, std::vector<std::string> extra,
               std::map<std::string, std::string> env)
    : data_dir_(std::move(data_dir)), extra_(std::move(extra)), env_(std::move(env)) {}

Daemon::~Daemon() {
  if (pid_ > 0) Kill();
}

void Daemon::Start() {
  log_path_ = data_dir_ + ".pasted-" + std::to_string(log_generation_++) + ".log";
  std::vector<std::string> argv = {BinaryPath("pasted"), "--data-dir", data_dir_};
  if (std::find(extra_.begin(), extra_.end(), "--listen") == extra_.end()) {
    argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
  }
  argv.insert(argv.end(), extra_.begin(), extra_.end());
  std::vector<std::string> env = Environment(env_);
  auto c_argv = CStrings(argv);
  auto c_env = CStrings(env);
  int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (log_fd < 0) throw std::runtime_error("cannot create " + log_path_);
  pid_ = fork();
  if (pid_ == 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    for (const auto& [resource, value] : rlimits_) {
      rlimit lim{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
      setrlimit(resource, &lim);
    }
    execve(c_argv[0], c_argv.data(), c_env.data());
    _exit(127);
  }
  close(log_fd);
  const std::string kReady = "listening on ";
  for (int i = 0; i < 1000; ++i) {
    std::string text = log();
    size_t at = text.find(kReady);
    if (at != std::string::npos) {
      size_t end = text.find_first_of(" \n", at + kReady.size());
      url_ = text.substr(at + kReady.size(), end - at - kReady.size());
      port_ = url_.compare(0, 5, "unix:") == 0 ? 0 : std::stoi(url_.substr(url_.rfind(':') + 1));
      return;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("pasted exited before it was ready:\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("pasted did not become ready in 10 s:\n" + log());
}

int Daemon::Wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return DecodeWaitStatus(status);
}

int Daemon::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  return Wait();
}

void Daemon::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  Wait();
}

int Daemon::WaitForExit(std::chrono::milliseconds limit) {
  if (pid_ <= 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return DecodeWaitStatus(status);
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void Daemon::Signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

std::string Daemon::log() const {
  try {
    return ReadFile(log_path_);
  } catch (const std::exception&) {
    return "";
  }
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) throw std::runtime_error("cannot find a free port on 127.0.0.1");
  return ntohs(addr.sin_port);
}

}  // namespace pastebin::testing
