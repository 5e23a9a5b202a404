#include "tests/support/raw_http.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace pastebin::testing {
namespace {

void SetTimeout(int fd, int timeout_s) {
  timeval tv{timeout_s, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

int64_t StatusKb(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size() + 1, key + ":") == 0) {
      return std::stoll(line.substr(key.size() + 1)) * 1024;
    }
  }
  return -1;
}

}  // namespace

int ConnectTo(int port, int timeout_s, int receive_buffer) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  // Before connecting, so the window the server sees is small from the
  // start: a client that does not read holds what the kernel cannot.
  if (receive_buffer > 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  SetTimeout(fd, timeout_s);
  return fd;
}

int ConnectToUnix(const std::string& path, int timeout_s) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  SetTimeout(fd, timeout_s);
  return fd;
}

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof(buf), 0)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

std::string ReadResponse(int fd) {
  std::string out;
  char c;
  while (out.find("\r\n\r\n") == std::string::npos) {
    if (recv(fd, &c, 1, 0) != 1) return "";
    out.push_back(c);
  }
  std::string length = HeaderOf(out, "Content-Length");
  size_t want = length.empty() ? 0 : std::stoul(length);
  std::string body(want, '\0');
  size_t got = 0;
  while (got < want) {
    ssize_t n = recv(fd, &body[got], want - got, 0);
    if (n <= 0) return "";
    got += static_cast<size_t>(n);
  }
  return out + body;
}

std::string RawExchange(int port, const std::string& request) {
  int fd = ConnectTo(port);
  if (fd < 0) return "";
  SendAll(fd, request);
  shutdown(fd, SHUT_WR);
  std::string out = ReadAll(fd);
  close(fd);
  return out;
}

int StatusOf(const std::string& response) {
  if (response.compare(0, 9, "HTTP/1.1 ") != 0 || response.size() < 12) return -1;
  return std::stoi(response.substr(9, 3));
}

std::string BodyOf(const std::string& response) {
  size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

std::string HeaderOf(const std::string& response, const std::string& name) {
  std::istringstream in(response.substr(0, response.find("\r\n\r\n")));
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > name.size() && strncasecmp(line.c_str(), name.c_str(), name.size()) == 0 &&
        line[name.size()] == ':') {
      std::string value = line.substr(name.size() + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
      return value;
    }
  }
  return "";
}

int64_t RssBytes(pid_t pid) { return StatusKb(pid, "VmRSS"); }
int64_t PeakRssBytes(pid_t pid) { return StatusKb(pid, "VmHWM"); }

double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  // After the name: state is field 3; utime and stime are fields 14 and 15.
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoll(f);
    if (i == 15) stime = std::stoll(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string ThreadCpuReport(pid_t pid) {
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  std::vector<std::pair<double, std::string>> rows;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream in(dir + "/" + e->d_name + "/stat");
      std::string stat;
      std::getline(in, stat);
      size_t open = stat.find('('), close = stat.rfind(')');
      if (open == std::string::npos || close == std::string::npos) continue;
      std::istringstream fields(stat.substr(close + 2));
      std::string f;
      long long user = 0, system = 0;
      for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) user = std::stoll(f);
        if (i == 15) system = std::stoll(f);
      }
      double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
      double seconds = static_cast<double>(user + system) / hz;
      std::ifstream sc(dir + "/" + e->d_name + "/syscall");
      std::string syscall;
      std::getline(sc, syscall);
      rows.emplace_back(seconds, "[" + syscall.substr(0, 40) + "] " + std::string(e->d_name) + " " +
                                     stat.substr(open + 1, close - open - 1) + " user " +
                                     std::to_string(static_cast<double>(user) / hz) + " system " +
                                     std::to_string(static_cast<double>(system) / hz));
    }
    closedir(d);
  }
  std::sort(rows.rbegin(), rows.rend());
  std::string out;
  for (const auto& [seconds, row] : rows) out += row + "\n";
  return out;
}

int64_t WatchPeakRss(pid_t pid, int ms) {
  int64_t peak = 0;
  for (int waited = 0; waited < ms; waited += 10) {
    peak = std::max(peak, PeakRssBytes(pid));
    if (peak > kDaemonMemoryBound) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return peak;
}

}  // namespace pastebin::testing
