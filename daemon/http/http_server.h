// HttpServer: pasted's HTTP/1.1 server, event-driven.
//
// A few event-loop threads (epoll) own every connection: they accept, read,
// parse (http_message.h), write and time connections out. A connection costs
// a buffer, not a thread, so hundreds of idle keep-alive clients or clients
// that send half a request and stall take nothing from the others — the
// thread-per-connection design of cpp-httplib starved the 65th client of 64
// workers for 5 s and served 300 req/s stock, measured on the build machine.
// Handlers that never block (a cached paste) run on the loop; a read the
// loop cannot answer from memory moves to a small pool of readers, and
// handlers that may block long (gc, large uploads) run on a worker pool;
// both hand their response back to the loop. A handler on the loop may
// also answer later from any thread (HttpResponse::deferred), as the group
// commit does.
//
// Nothing one client sends can grow memory without bound: the parser limits
// every part of a request, bodies draw from one budget (max_body_memory),
// unsent answers from another (max_output_memory), and a connection whose
// client does not read its answers is not read either. Out of memory, a
// request gets 503, never the process's end.
//
// Past max_connections, a new connection gets an immediate 503 and is
// closed; out of file descriptors likewise (see acceptor.h). Stop() stops accepting, closes idle
// connections, lets requests in flight finish (within drain_timeout) and returns from Serve().
#ifndef PASTEBIN_DAEMON_HTTP_HTTP_SERVER_H_
#define PASTEBIN_DAEMON_HTTP_HTTP_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "daemon/base/memory_budget.h"
#include "daemon/base/worker_pool.h"
#include "daemon/http/http_message.h"
#include "daemon/http/http_parser.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace pastebin {

struct HttpServerOptions {
  size_t loops = 2;     // event-loop threads
  size_t workers = 64;  // threads for handlers that may block
  // Threads for reads that missed memory (HttpResponse::would_block): few,
  // so that each wake-up serves what has queued meanwhile.
  size_t readers = 4;
  size_t max_queued = 4096;  // blocking requests waiting for a worker
  size_t max_connections = 10000;
  HttpLimits limits;
  int header_timeout_ms = 10000;  // a request's headers must arrive in this
  int body_timeout_ms = 10000;    // the longest pause inside a body, and the
                                  // grace before min_body_rate applies
  int64_t min_body_rate = 1024;   // bytes/s a body must average after that
  int idle_timeout_ms = 30000;    // a kept-alive connection with no request
  int write_timeout_ms = 30000;   // the longest pause while writing
  // Bytes/s a client must take its answers at, on average, once they have
  // waited body_timeout_ms: one that does not read loses its place (and
  // what it holds). 0: no minimum.
  int64_t min_send_rate = 1024;
  int drain_timeout_ms = 10000;  // Stop() waits this long for requests
  // Request bodies held at once, from their head until their answer is
  // sent; past it a new body gets 503 with Retry-After.
  size_t max_body_memory = 64 << 20;
  // Answers not yet sent, over all connections; past it connections take
  // no new request until it drains.
  size_t max_output_memory = 64 << 20;
  // A connection with more unsent than this takes no new request (and is
  // not read) until the client reads: pipelining cannot pile up answers.
  size_t max_output_per_connection = 64 << 10;
  // Header lines every answer carries ("Name: value\r\n" each).
  std::string common_headers;
};

// What the server asks of the application: one object, the front desk.
// Called from loop threads and worker threads concurrently: implementations
// must be thread-safe.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Once per request, as soon as its head is parsed (before its body, if
  // one follows): routes it — may fill req.route, req.path_params and
  // req.client — and returns the largest body it accepts (0: none). The
  // server sets req.admitted.
  virtual size_t Admit(HttpRequest& req) = 0;
  // Whether handling the admitted req may block (syncs, waiting): then
  // Handle runs on the worker pool instead of the loop.
  virtual bool MayBlock(const HttpRequest& req) = 0;
  virtual void Handle(HttpRequest& req, HttpResponse& res) = 0;
  // Fills in the answer to a request the server refuses itself (status 400,
  // 408, 413, 414, 431, 501, 503, 505), in the way the request's route
  // tells errors when it was admitted. The server adds Retry-After to a 503
  // itself. req may be incomplete (a refusal of its head).
  virtual void Refuse(const HttpRequest& req, int status, const std::string& message,
                      HttpResponse& res) = 0;
  // After every answer is made, refusals included, just before it is sent
  // (for the access log and metrics). req may be incomplete for refusals.
  virtual void Answered(const HttpRequest& req, const HttpResponse& res) = 0;
};

class HttpServer {
 public:
  explicit HttpServer(const HttpServerOptions& options);
  ~HttpServer();

  // Binds host:port (0: any free port), listens with a deep backlog, and
  // returns the port. kUnavailable naming the address on failure.
  Result<int> Bind(const std::string& host, int port);
  // Listens on a Unix socket at path (replacing a stale one) with mode:
  // 0666 when who may connect is the folder's business, 0600 for pasted's
  // own user alone. Requests from it carry the peer's uid
  // (HttpRequest::peer_uid) and are never TLS. Bind, BindUnix and Adopt
  // add to the listeners: a server may listen on several.
  Status BindUnix(const std::string& path, int mode = 0666);
  // Serves on an already listening socket (systemd socket activation);
  // returns its port. Takes ownership of fd.
  Result<int> Adopt(int fd);

  // Serves HTTPS instead of HTTP, with this PEM certificate chain and key
  // (TLS 1.2 and 1.3, through OpenSSL). Errors name the file at fault.
  Status EnableTls(const std::string& cert_file, const std::string& key_file);

  // Runs the loops, handing every request to handler, until Stop();
  // returns once requests in flight were answered (or drain_timeout
  // passed). Call Bind(), BindUnix() or Adopt() first: they make
  // everything serving needs, and fail if they cannot. handler must
  // outlive the call.
  void Serve(HttpHandler& handler);
  // Any thread, any time, also before Serve().
  void Stop();
  // Runs hook on each loop thread after every round of events it handled,
  // before it waits for the next, and once more as it stops (what the
  // round's handlers may keep open until then: the store's reads). busy:
  // the loop's last wait found events (false after one that found none,
  // and as it stops). Set it before Serve().
  void SetRoundHook(std::function<void(bool busy)> hook) { round_hook_ = std::move(hook); }

  // What request bodies draw on (max_body_memory): other ways in that take
  // pastes (the TCP port) draw on it too.
  MemoryBudget& body_budget() { return body_memory_; }
  // What answers not yet sent draw on (max_output_memory): bytes answers
  // share (a large paste being read) may be charged here once, by whoever
  // holds them.
  MemoryBudget& answer_budget() { return output_memory_; }

  class Loop;  // one event-loop thread (http_server.cc)

 private:
  friend class Loop;
  // Makes the event loops and the worker pool (by Bind, BindUnix, Adopt).
  Status MakeLoops();
  HttpServerOptions options_;
  HttpHandler* handler_ = nullptr;  // set by Serve
  std::function<void(bool busy)> round_hook_;
  struct Listener {
    int fd;
    bool unix_socket;  // peers carry their uid; never TLS
  };
  std::vector<Listener> listeners_;
  ::ssl_ctx_st* tls_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_{0};
  MemoryBudget body_memory_{options_.max_body_memory};
  MemoryBudget output_memory_{options_.max_output_memory};
  std::mutex loops_mu_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::unique_ptr<WorkerPool> pool_;       // handlers that may block long
  std::unique_ptr<WorkerPool> read_pool_;  // reads the loop could not answer
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_HTTP_SERVER_H_
