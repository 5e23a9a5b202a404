// HttpServer: cpp-httplib's server, tuned for this workload, with every
// error answered in the API's JSON shape.
#ifndef PASTEBIN_DAEMON_HTTP_SERVER_H_
#define PASTEBIN_DAEMON_HTTP_SERVER_H_

#include <httplib.h>

#include <atomic>
#include <mutex>
#include <string>

#include "common/status.h"

namespace pastebin {

struct HttpOptions {
  size_t threads = 64;
  size_t payload_max_bytes = 0;  // larger request bodies get 413
};

class HttpServer {
 public:
  explicit HttpServer(const HttpOptions& options);

  // Where routes are registered (see routes.h).
  httplib::Server& server() { return server_; }

  // Binds host:port (port 0: any free port) with a deep listen backlog and
  // returns the bound port. kUnavailable naming the address on failure.
  Result<int> Bind(const std::string& host, int port);

  // Serves on a socket that is already bound and listening (systemd socket
  // activation) instead; returns its port. Takes ownership of fd.
  Result<int> Adopt(int fd);

  // Accepts and serves connections until Stop(). Call Bind() first.
  // Blocks; returns after in-flight requests have been answered, at once if
  // Stop() came first.
  void Serve();

  // Stops accepting; Serve() returns once in-flight requests finish.
  // Safe to call from any thread, also before Serve() starts.
  void Stop();

 private:
  // Subclassed only to reach the listening socket, which the library keeps
  // protected, so the backlog can be raised after bind.
  class Server : public httplib::Server {
   public:
    socket_t listening_socket() const { return svr_sock_; }
    void adopt_listening_socket(socket_t fd) { svr_sock_ = fd; }
  };
  Server server_;
  std::mutex state_mu_;
  bool stop_requested_ = false;
  bool serving_ = false;
  std::atomic<bool> serve_returned_{false};
};

// Answers with status.http_status() and {"error": {"code", "message"}}.
void SendError(httplib::Response& res, const Status& status);
// Answers with a JSON body.
void SendJson(httplib::Response& res, int http_status, const std::string& json);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_SERVER_H_
