#include "daemon/http_server.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "common/wire.h"
#include "daemon/log.h"

namespace pastebin {
namespace {

// The library's listen() backlog is 5: under a burst of new connections the
// kernel drops SYNs and clients stall for a retransmit (p99 0.3–1.1 s
// measured). 4096 matches the kernel's somaxconn on Debian 12.
constexpr int kListenBacklog = 4096;

// Each connection holds a worker thread for as long as it is kept alive, so
// idle keep-alive connections must not pin workers for long, yet a client
// sending a burst should reuse its connection (the library's default of 5
// requests per connection forces needless reconnects under load).
constexpr size_t kKeepAliveMaxRequests = 1000;
constexpr time_t kKeepAliveTimeoutSec = 3;
// A client that stops sending mid-request frees its worker after this.
constexpr time_t kReadTimeoutSec = 10;
constexpr time_t kWriteTimeoutSec = 10;

Status StatusForBareError(const httplib::Request& req, int http_status) {
  switch (http_status) {
    case 404:
      return Status(Code::kNotFound, "no such route: " + req.method + " " +
                                         req.path +
                                         " (see pasted(8) for the API)");
    case 413:
      return Status(Code::kTooLarge,
                    "request body is larger than this server accepts; "
                    "send a smaller paste");
    case 414:
      return InvalidArgument("request URL is too long");
    case 400:
      return InvalidArgument("malformed HTTP request");
    default:
      return Status(CodeFromHttpStatus(http_status),
                    "request failed with HTTP " + std::to_string(http_status));
  }
}

}  // namespace

void SendJson(httplib::Response& res, int http_status,
              const std::string& json) {
  res.status = http_status;
  res.set_content(json, "application/json");
}

void SendError(httplib::Response& res, const Status& status) {
  SendJson(res, status.http_status(), ErrorJson(status));
}

HttpServer::HttpServer(const HttpOptions& options) {
  // Debian ships cpp-httplib prebuilt, so its compile-time knobs
  // (CPPHTTPLIB_THREAD_POOL_COUNT, ...) do nothing; everything is set here.
  size_t threads = options.threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Without TCP_NODELAY, headers and body leave as two small sends and
  // Nagle + delayed ACK cost ~40 ms per response: 297 req/s instead of
  // ~25k measured with 64 keep-alive clients.
  server_.set_tcp_nodelay(true);
  server_.set_keep_alive_max_count(kKeepAliveMaxRequests);
  server_.set_keep_alive_timeout(kKeepAliveTimeoutSec);
  server_.set_read_timeout(kReadTimeoutSec);
  server_.set_write_timeout(kWriteTimeoutSec);
  server_.set_payload_max_length(options.payload_max_bytes);
  server_.set_default_headers({{"X-Content-Type-Options", "nosniff"}});

  // Called for every answer with status >= 400. Handlers that already wrote
  // a JSON error keep it; bare errors from the library (no route, body too
  // large, malformed request) get one here.
  server_.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        int http_status = res.status;
        SendError(res, StatusForBareError(req, http_status));
        res.status = http_status;
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_.set_exception_handler([](const httplib::Request& req,
                                   httplib::Response& res,
                                   std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    LogError("internal error serving " + req.method + " " + req.path + ": " +
             what);
    SendError(res, Internal("internal error; the server log has details"));
  });
}

Result<int> HttpServer::Bind(const std::string& host, int port) {
  std::string where = host + ":" + std::to_string(port);
  int bound = port;
  if (port == 0) {
    bound = server_.bind_to_any_port(host);
    if (bound <= 0) bound = -1;
  } else if (!server_.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound < 0) {
    return Status(Code::kUnavailable,
                  "cannot listen on " + where +
                      ": the address is in use or not available here; "
                      "choose another with --listen HOST:PORT");
  }
  // Re-listening on a bound socket only changes its backlog.
  if (::listen(server_.listening_socket(), kListenBacklog) != 0) {
    LogWarn("could not raise the listen backlog; bursts may see delays");
  }
  return bound;
}

Result<int> HttpServer::Adopt(int fd) {
  struct sockaddr_storage addr;
  socklen_t len = sizeof(addr);
  if (getsockname(fd, reinterpret_cast<struct sockaddr*>(&addr), &len) != 0) {
    return Status(Code::kUnavailable, "the socket passed by systemd is unusable");
  }
  int port = addr.ss_family == AF_INET6
                 ? ntohs(reinterpret_cast<struct sockaddr_in6*>(&addr)->sin6_port)
                 : ntohs(reinterpret_cast<struct sockaddr_in*>(&addr)->sin_port);
  server_.adopt_listening_socket(fd);
  return port;
}

void HttpServer::Serve() {
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    if (stop_requested_) return;
    serving_ = true;
  }
  server_.listen_after_bind();
  serve_returned_ = true;
}

void HttpServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    stop_requested_ = true;
    if (!serving_) return;  // Serve() will return at once
  }
  // The library's stop() does nothing until its accept loop is running; a
  // SIGTERM right after start-up can come before that, so wait for it.
  while (!server_.is_running() && !serve_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_.stop();
}

}  // namespace pastebin
