#include "tests/support/fake_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/raw_http.h"

namespace pastebin::testing {

FakeServer::FakeServer(Answer answer, bool read_head) : answer_(std::move(answer)) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  listen(fd_, 16);
  socklen_t len = sizeof(addr);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this, read_head] {
    for (;;) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0 || stop_) {
        if (c >= 0) close(c);
        return;
      }
      std::string head;
      char ch;
      while (read_head && head.find("\r\n\r\n") == std::string::npos && recv(c, &ch, 1, 0) == 1) {
        head.push_back(ch);
      }
      answer_(c, head);
      close(c);
    }
  });
}

FakeServer::~FakeServer() {
  stop_ = true;
  shutdown(fd_, SHUT_RDWR);
  close(ConnectTo(port_));
  thread_.join();
  close(fd_);
}

}  // namespace pastebin::testing
