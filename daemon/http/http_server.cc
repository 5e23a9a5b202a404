#include "daemon/http/http_server.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <thread>

#include "daemon/http/http_loop.h"
#include "daemon/http/net_util.h"

namespace pastebin {
namespace {

// The kernel caps this at net.core.somaxconn (4096 on Debian 12); the
// library we replaced used 5, which dropped SYNs under bursts.
constexpr int kListenBacklog = 4096;

}  // namespace

HttpServer::HttpServer(const HttpServerOptions& options) : options_(options) {}

HttpServer::~HttpServer() {
  loops_.clear();  // connections free their SSL objects before the context
  if (tls_) SSL_CTX_free(tls_);
  for (const Listener& l : listeners_) close(l.fd);
}

Status HttpServer::EnableTls(const std::string& cert_file, const std::string& key_file) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return Internal("cannot set up TLS: OpenSSL failed");
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Responses are written from a buffer that may move between attempts.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  auto fail = [&](const std::string& what) {
    char err[256];
    ERR_error_string_n(ERR_get_error(), err, sizeof(err));
    SSL_CTX_free(ctx);
    return InvalidArgument(what + " (" + err + ")");
  };
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return fail("cannot load the TLS certificate " + cert_file +
                "; tls_cert must be a PEM certificate chain");
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return fail("cannot load the TLS key " + key_file + "; tls_key must be a PEM private key");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return fail("the TLS key " + key_file + " does not match the certificate " + cert_file);
  }
  if (tls_) SSL_CTX_free(tls_);
  tls_ = ctx;
  return Status::Ok();
}

Result<int> HttpServer::Bind(const std::string& host, int port) {
  auto fd = ListenOn(host, port, kListenBacklog, "with --listen HOST:PORT");
  if (!fd.ok()) return fd.status();
  listeners_.push_back({*fd, false});
  Status loops = MakeLoops();
  if (!loops.ok()) return loops;
  return PortOf(*fd);
}

Status HttpServer::BindUnix(const std::string& path, int mode) {
  auto fd = ListenOnUnix(path, kListenBacklog, mode, mode == 0666 ? "listen" : "local_socket");
  if (!fd.ok()) return fd.status();
  listeners_.push_back({*fd, true});
  return MakeLoops();
}

Result<int> HttpServer::Adopt(int fd) {
  int port = PortOf(fd);
  if (port < 0) {
    return Status(Code::kUnavailable, "the socket passed by systemd is unusable");
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  listeners_.push_back({fd, false});
  Status loops = MakeLoops();
  if (!loops.ok()) return loops;
  return port;
}

Status HttpServer::MakeLoops() {
  // Made while binding, before any connection can use up the file
  // descriptors: a loop without its epoll would spin.
  std::lock_guard<std::mutex> lock(loops_mu_);
  for (size_t i = loops_.size(); i < options_.loops; ++i) {
    auto loop = std::make_unique<Loop>(*this);
    if (!loop->ok()) {
      return Status(Code::kUnavailable, std::string("cannot set up the HTTP server: ") +
                                            strerror(errno) + "; raise the file descriptor limit");
    }
    loops_.push_back(std::move(loop));
  }
  if (!pool_) pool_ = std::make_unique<WorkerPool>(options_.workers, "pasted-worker");
  if (!read_pool_) read_pool_ = std::make_unique<WorkerPool>(options_.readers, "pasted-reader");
  return Status::Ok();
}

void HttpServer::Serve(HttpHandler& handler) {
  {
    std::lock_guard<std::mutex> lock(loops_mu_);
    if (stopping_ || loops_.empty()) return;
    handler_ = &handler;
  }
  std::vector<std::thread> threads;
  for (auto& loop : loops_)
    threads.emplace_back([&loop] {
      pthread_setname_np(pthread_self(), "pasted-http");
      loop->Run();
    });
  for (auto& t : threads) t.join();
  // Handlers still running (past the drain deadline) finish here; their
  // answers go nowhere.
  pool_->Shutdown();
  read_pool_->Shutdown();
}

void HttpServer::Stop() {
  std::lock_guard<std::mutex> lock(loops_mu_);
  stopping_ = true;
  for (auto& loop : loops_) loop->Wake();
}

}  // namespace pastebin
