// TcpPasteServer: termbin/fiche-style pastes over raw TCP, for
// `cmd | nc HOST PORT`. The client sends the paste and either half-closes
// (nc -N) or falls silent (plain nc); after the end of input or an idle
// pause the paste is stored and the client gets the URL and a newline, or
// an "error: ..." line, and the connection closes. One event-loop thread
// holds every connection, so slow clients block no one; storing runs on a
// small worker pool. Over the size limit the client is told so and nothing
// is stored — never a silent truncation.
#ifndef PASTEBIN_DAEMON_TCP_TCP_PASTE_SERVER_H_
#define PASTEBIN_DAEMON_TCP_TCP_PASTE_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "daemon/base/memory_budget.h"
#include "daemon/base/worker_pool.h"

namespace pastebin {

struct TcpPasteOptions {
  int idle_timeout_ms = 1000;    // silence that ends a paste
  int total_timeout_ms = 60000;  // the longest a client may take in all
  size_t max_bytes = 10 * 1024 * 1024;
  size_t max_connections = 1000;
  size_t workers = 8;
  // What pastes being received and stored draw on, with HTTP's uploads
  // (HttpServer::body_budget); past it a paste is refused whole. Not owned;
  // null: none of its own (tests).
  MemoryBudget* budget = nullptr;
};

class TcpPasteServer {
 public:
  // Stores a paste received from peer, which connected to local_addr;
  // returns the line to send back (without its newline). Runs on a worker.
  using Store = std::function<std::string(const std::string& peer, const std::string& local_addr,
                                          std::string contents)>;

  TcpPasteServer(const TcpPasteOptions& options, Store store);
  ~TcpPasteServer();

  // Binds host:port and makes the loop's descriptors; returns the port.
  // kUnavailable naming the address, or the resource that ran out.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); then answers the pastes still arriving as far as
  // they got, and returns.
  void Serve();
  // Any thread, any time.
  void Stop();

 private:
  struct Conn;
  class Loop;
  TcpPasteOptions options_;
  Store store_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  int ep_ = -1;  // the loop's epoll, made by Bind
  std::atomic<bool> stopping_{false};
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_TCP_TCP_PASTE_SERVER_H_
