// Talking HTTP byte by byte to a real pasted, and watching its resources:
// for tests of hostile clients that no well-behaved library would imitate.
#ifndef PASTEBIN_TESTS_SUPPORT_RAW_HTTP_H_
#define PASTEBIN_TESTS_SUPPORT_RAW_HTTP_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace pastebin::testing {

// A TCP connection to 127.0.0.1:port (-1 on failure), with a receive
// timeout of timeout_s seconds, and a receive buffer of receive_buffer
// bytes when it is set (a client that reads nothing then takes little).
int ConnectTo(int port, int timeout_s = 5, int receive_buffer = 0);
// A connection to a Unix socket; -1 on failure.
int ConnectToUnix(const std::string& path, int timeout_s = 5);

// Sends all of bytes; false if the peer is gone.
bool SendAll(int fd, std::string_view bytes);
// Everything the peer sends until it closes or the receive timeout passes.
std::string ReadAll(int fd);
// One response off a kept-alive connection: the head and a Content-Length
// body; "" if the connection ends first.
std::string ReadResponse(int fd);

// Sends request, half-closes, and returns the whole answer ("" when the
// connection is refused).
std::string RawExchange(int port, const std::string& request);

// The status code of a response ("HTTP/1.1 404 ..."), -1 if there is none.
int StatusOf(const std::string& response);
// The body after the head.
std::string BodyOf(const std::string& response);
// A header's value in a response's head, "" if absent.
std::string HeaderOf(const std::string& response, const std::string& name);

// A process's resident memory (VmRSS) and peak (VmHWM) in bytes, and CPU
// time (user + system) in seconds, from /proc; -1 when unreadable.
int64_t RssBytes(pid_t pid);
int64_t PeakRssBytes(pid_t pid);

// The daemon's peak resident memory must stay under this with default
// settings, whatever a client sends. Under AddressSanitizer freed memory
// waits in a quarantine (256 MiB) and every allocation carries red zones,
// so the bound there is looser, still far under what the attacks reached.
#ifdef PASTEBIN_SANITIZED
constexpr int64_t kDaemonMemoryBound = 640LL << 20;
#else
constexpr int64_t kDaemonMemoryBound = 256LL << 20;
#endif

// Samples pid's peak memory every 10 ms for `ms` milliseconds, or until it
// passes kDaemonMemoryBound; returns the highest seen.
int64_t WatchPeakRss(pid_t pid, int ms);
double CpuSeconds(pid_t pid);
// "tid name user S system S" for each of a process's threads, busiest
// first: for
// a test's message when a CPU bound is broken.
std::string ThreadCpuReport(pid_t pid);

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_RAW_HTTP_H_
