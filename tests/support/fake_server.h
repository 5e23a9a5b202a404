// A server on 127.0.0.1 that answers what the test says: for tests of a
// client against what no pastebin server would send. One connection at a
// time, in a thread of its own.
#ifndef PASTEBIN_TESTS_SUPPORT_FAKE_SERVER_H_
#define PASTEBIN_TESTS_SUPPORT_FAKE_SERVER_H_

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace pastebin::testing {

class FakeServer {
 public:
  // Called with each connection and its request head (up to the blank
  // line); the connection is closed when it returns.
  using Answer = std::function<void(int fd, const std::string& head)>;
  // With read_head false, answer gets the connection before anything is
  // read from it (for clients that do not speak HTTP first: TLS).
  explicit FakeServer(Answer answer, bool read_head = true);
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  Answer answer_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_FAKE_SERVER_H_
