// The event loop behind HttpServer (see http_server.h): one thread that
// owns its connections, reading, parsing, dispatching and writing them.
// Private to the server: http_server.cc and http_loop.cc only.
#ifndef PASTEBIN_DAEMON_HTTP_LOOP_H_
#define PASTEBIN_DAEMON_HTTP_LOOP_H_

#include <openssl/ssl.h>
#include <stdint.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "daemon/http_message.h"
#include "daemon/http_server.h"

namespace pastebin {

// One client connection, owned by the loop that accepted it.
struct Connection {
  enum class State { kReading, kHandling, kLingering };
  Connection(int fd, std::string addr, const HttpLimits& limits)
      : fd(fd), remote_addr(std::move(addr)), parser(limits) {}

  ~Connection() {
    if (ssl) SSL_free(ssl);
  }

  int fd;
  std::string remote_addr;
  SSL* ssl = nullptr;             // set when serving HTTPS
  bool ssl_wants_write = false;   // OpenSSL must write before it can read on
  State state = State::kReading;
  std::string in;
  std::string out;
  size_t out_off = 0;
  RequestParser parser;
  bool close_after_write = false;
  bool linger = false;  // refused: unread request bytes may follow
  bool peer_closed = false;
  bool registered = false;
  uint32_t events = 0;
  int64_t request_started = 0;  // first byte of the current request
  int64_t last_read = 0;
  int64_t last_write = 0;
  int64_t linger_until = 0;
};

class HttpServer::Loop {
 public:
  explicit Loop(HttpServer& server);
  ~Loop();

  // Wakes the loop from another thread (a stop, a posted answer).
  void Wake();
  // From a worker: the response to a request handled off the loop.
  void Post(std::shared_ptr<Connection> c, HttpRequest req, HttpResponse res);
  // Serves until the server stops and its connections have drained.
  void Run();

 private:
  struct Completion {
    std::shared_ptr<Connection> conn;
    HttpRequest req;
    HttpResponse res;
  };

  void Accept();
  void OnEvent(const std::shared_ptr<Connection>& c, uint32_t events);
  void ReadInput(Connection& c);
  void Process(const std::shared_ptr<Connection>& c);
  void Dispatch(const std::shared_ptr<Connection>& c, HttpRequest req);
  void Respond(Connection& c, const HttpRequest& req, HttpResponse& res);
  void Refuse(Connection& c, int status, const std::string& message,
              const HttpRequest& req);
  void Flush(Connection& c);
  void AfterIo(const std::shared_ptr<Connection>& c);
  void UpdateInterest(Connection& c);
  void Close(Connection& c);
  void Sweep(int64_t now);
  void BeginDrain(int64_t now);
  void TakePosted();

  HttpServer& server_;
  int epfd_ = -1;
  int wake_fd_ = -1;
  std::unordered_map<int, std::shared_ptr<Connection>> conns_;
  std::mutex posted_mu_;
  std::vector<Completion> posted_;
  std::string date_;      // the Date header, refreshed twice a second
  int64_t date_ms_ = 0;
  int64_t now_ = 0;
  bool draining_ = false;
  int64_t drain_deadline_ = 0;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_LOOP_H_
