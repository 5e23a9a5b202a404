// HttpServer: pasted's HTTP/1.1 server, event-driven.
//
// A few event-loop threads (epoll) own every connection: they accept, read,
// parse (http_message.h), write and time connections out. A connection costs
// a buffer, not a thread, so hundreds of idle keep-alive clients or clients
// that send half a request and stall take nothing from the others — the
// thread-per-connection design of cpp-httplib starved the 65th client of 64
// workers for 5 s and served 300 req/s stock (see the measurements notes).
// Handlers that never block (a cached paste) run on the loop; handlers that
// may block (a write waiting for its group commit, a cold read, gc) run on a
// worker pool and hand their response back to the loop.
//
// Past max_connections, a new connection gets an immediate 503 and is
// closed. Stop() stops accepting, closes idle connections, lets requests in
// flight finish (within drain_timeout) and returns from Serve().
#ifndef PASTEBIN_DAEMON_HTTP_SERVER_H_
#define PASTEBIN_DAEMON_HTTP_SERVER_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "daemon/http_message.h"
#include "daemon/worker_pool.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace pastebin {

struct HttpServerOptions {
  size_t loops = 2;       // event-loop threads
  size_t workers = 64;    // threads for handlers that may block
  size_t max_queued = 4096;  // blocking requests waiting for a worker
  size_t max_connections = 10000;
  HttpLimits limits;
  int header_timeout_ms = 10000;  // a request's headers must arrive in this
  int body_timeout_ms = 30000;    // the longest pause inside a body
  int idle_timeout_ms = 30000;    // a kept-alive connection with no request
  int write_timeout_ms = 30000;   // the longest pause while writing
  int drain_timeout_ms = 10000;   // Stop() waits this long for requests
};

// What the server asks of the application. Called from loop threads and
// worker threads concurrently: implementations must be thread-safe.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Routes req (may fill req.route and req.path_params) and says whether
  // handling it may block: then Handle runs on the worker pool.
  virtual bool MayBlock(HttpRequest& req) = 0;
  virtual void Handle(HttpRequest& req, HttpResponse& res) = 0;
  // Fills in the answer to a request the server refuses itself (status 400,
  // 408, 413, 414, 431, 501, 503, 505) — an error body.
  virtual void Refuse(int status, const std::string& message, HttpResponse& res) = 0;
  // After every answer, including refusals (for the access log and
  // metrics). req may be incomplete for refusals.
  virtual void Answered(const HttpRequest& req, const HttpResponse& res) = 0;
};

class HttpServer {
 public:
  HttpServer(const HttpServerOptions& options, HttpHandler& handler);
  ~HttpServer();

  // Binds host:port (0: any free port), listens with a deep backlog, and
  // returns the port. kUnavailable naming the address on failure.
  Result<int> Bind(const std::string& host, int port);
  // Serves on an already listening socket (systemd socket activation);
  // returns its port. Takes ownership of fd.
  Result<int> Adopt(int fd);

  // Serves HTTPS instead of HTTP, with this PEM certificate chain and key
  // (TLS 1.2 and 1.3, through OpenSSL). Errors name the file at fault.
  Status EnableTls(const std::string& cert_file, const std::string& key_file);

  // Runs the loops until Stop(); returns once requests in flight were
  // answered (or drain_timeout passed). Call Bind() or Adopt() first.
  void Serve();
  // Any thread, any time, also before Serve().
  void Stop();

  class Loop;  // one event-loop thread (http_server.cc)

 private:
  friend class Loop;
  HttpServerOptions options_;
  HttpHandler& handler_;
  int listen_fd_ = -1;
  ::ssl_ctx_st* tls_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_{0};
  std::mutex loops_mu_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_SERVER_H_
