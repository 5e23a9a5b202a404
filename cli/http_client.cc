#include "cli/http_client.h"

#include <httplib.h>
#include <netdb.h>
#include <stdlib.h>

#include <chrono>
#include <thread>

#include "cli/exchange_guard.h"
#include "cli/local_server.h"
#include "common/version.h"
#include "common/wire.h"

namespace pastebin {
namespace {

// A server that is briefly full (503 with Retry-After) is asked again, this
// often and after waiting at most this long each time. Every 503 pasted
// sends means nothing was done, so asking again duplicates nothing.
constexpr int kBusyRetries = 3;
constexpr int kMaxRetryAfterSec = 5;

std::string DescribeError(httplib::Error err) {
  switch (err) {
    case httplib::Error::Connection:
      return "connection refused or host unreachable";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    case httplib::Error::Read:
      return "the connection broke while reading the answer";
    case httplib::Error::Write:
      return "the connection broke while sending the request";
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return "TLS handshake or certificate verification failed";
    default:
      return httplib::to_string(err);
  }
}

// What a transport failure means, and what to do about it. A read that
// failed after waiting out the whole timeout is a server that did not
// answer in time.
std::string DescribeFailure(const ServerUrl& server, httplib::Error err, bool timed_out,
                            int timeout_sec) {
  std::string base = server.Base();
  if (err == httplib::Error::ConnectionTimeout ||
      (timed_out && (err == httplib::Error::Read || err == httplib::Error::Write))) {
    return base + " did not answer within " + std::to_string(timeout_sec) +
           " s; it is busy or not a pastebin server (--timeout SECONDS waits longer)";
  }
  if (err == httplib::Error::SSLConnection || err == httplib::Error::SSLServerVerification ||
      err == httplib::Error::SSLLoadingCerts) {
    return "the TLS handshake with " + base + " failed (" + DescribeError(err) +
           "); if it serves plain HTTP use http:// instead, and if its certificate is not from a "
           "known CA point SSL_CERT_FILE at it";
  }
  if (err == httplib::Error::Connection) {
    // A name that does not resolve is not a server that is down.
    if (server.unix_socket.empty()) {
      addrinfo hints{};
      hints.ai_socktype = SOCK_STREAM;
      addrinfo* found = nullptr;
      int rc = getaddrinfo(server.host.c_str(), nullptr, &hints, &found);
      if (found) freeaddrinfo(found);
      if (rc != 0 && rc != EAI_SYSTEM) {
        return "cannot resolve host " + server.host + " (" + gai_strerror(rc) +
               "); check the name in --server or PASTEBIN_SERVER";
      }
    }
    std::string what =
        "cannot reach the pastebin server at " + base + " (" + DescribeError(err) + ")";
    if (server.own_local || IsLocalDefault(server)) {
      return what +
             "; start it with 'pastebin daemon start', or point --server or "
             "PASTEBIN_SERVER at a running one";
    }
    bool local = server.host == "127.0.0.1" || server.host == "localhost" || server.host == "::1";
    if (local) {
      return what + "; start pasted there ('pasted --listen " + server.host + ":" +
             std::to_string(server.port) +
             "'), or point --server or PASTEBIN_SERVER at a "
             "running one";
    }
    return what + "; check the address, and that the server is up";
  }
  return base + " did not answer as a pastebin server does (" + DescribeError(err) +
         "); check the address, or try again";
}

// "64 MiB", "64 KiB".
std::string SizeOf(size_t bytes) {
  if (bytes >= (1 << 20)) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes >> 10) + " KiB";
}

}  // namespace

bool HttpResponse::FromPastebin() const { return ok() || IsErrorJson(body); }

Status HttpResponse::Error() const {
  if (ok()) return Status::Ok();
  if (FromPastebin()) return ParseErrorJson(status, body);
  std::string what =
      "HTTP " + std::to_string(status) + (content_type.empty() ? "" : " (" + content_type + ")");
  if (status >= 300 && status < 400 && !location.empty()) {
    return Status(Code::kUnavailable, origin + " is not a pastebin server: it redirects " +
                                          request + " to " + location +
                                          "; if pastebin is there, use that address");
  }
  if (status == 502 || status == 503 || status == 504) {
    return Status(Code::kUnavailable, origin + " answered " + request + " with " + what +
                                          " but no pastebin error: a proxy that cannot reach "
                                          "pasted, or not a pastebin server; try again later "
                                          "or check the address");
  }
  return Status(Code::kUnavailable, origin + " is not a pastebin server: it answered " + request +
                                        " with " + what +
                                        "; point --server or PASTEBIN_SERVER at a pasted");
}

Status HttpResponse::NotPastebin(const std::string& why) const {
  return Status(Code::kUnavailable, origin + " is not a pastebin server: its answer to " + request +
                                        " (HTTP " + std::to_string(status) +
                                        (content_type.empty() ? "" : ", " + content_type) + ") " +
                                        why + "; point --server or PASTEBIN_SERVER at a pasted");
}

Result<HttpResponse> HttpClient::Send(const std::string& method, const std::string& path,
                                      const std::string& body, const std::string& content_type,
                                      const HeaderList& headers, std::ostream* sink) const {
  for (int attempt = 0;; ++attempt) {
    auto res = SendOnce(method, path, body, content_type, headers, sink);
    if (!res.ok() || res->status != 503 || attempt == kBusyRetries) return res;
    if (res->retry_after < 1 || res->retry_after > kMaxRetryAfterSec) return res;
    std::this_thread::sleep_for(std::chrono::seconds(res->retry_after));
  }
}

Result<HttpResponse> HttpClient::SendOnce(const std::string& method, const std::string& path,
                                          const std::string& body, const std::string& content_type,
                                          const HeaderList& headers, std::ostream* sink) const {
  ServerUrl dial = server_;
  if (server_.own_local) {
    // Only through a listener verified as this user's (local_server.h).
    auto verified = DialLocal(server_);
    last_refused_ = !verified.ok() && verified.status().code() == Code::kUnavailable;
    if (!verified.ok()) return verified.status();
    dial = *verified;
  }
  std::unique_ptr<httplib::Client> made;
  if (dial.unix_socket.empty()) {
    made = std::make_unique<httplib::Client>(dial.Origin());
  } else {
    made = std::make_unique<httplib::Client>(dial.unix_socket, 80);
    made->set_address_family(AF_UNIX);
  }
  httplib::Client& client = *made;
  // The whole exchange within the timeout, and no more bytes than an answer
  // may hold (exchange_guard.h); httplib's own timeouts are per read.
  ExchangeGuard guard(timeout_sec_, kMaxHeadBytes, max_answer_bytes_, body.size());
  client.set_socket_options([&guard](int fd) { guard.Watch(fd); });
  client.set_connection_timeout(timeout_sec_, 0);
  client.set_read_timeout(timeout_sec_, 0);
  client.set_write_timeout(timeout_sec_, 0);
  client.set_keep_alive(false);
  // HTTPS servers are verified against the system's CAs, or the PEM file
  // named by SSL_CERT_FILE (as for OpenSSL's own tools).
  if (const char* ca = getenv("SSL_CERT_FILE"); ca && ca[0] && server_.scheme == "https") {
    client.set_ca_cert_path(ca);
  }

  httplib::Request req;
  req.method = method;
  req.path = server_.prefix + path;
  req.headers = {{"User-Agent", std::string("pastebin/") + Version()}};
  if (!dial.unix_socket.empty()) {
    // The host links are built on: the local server's address, or
    // "localhost" for a socket named as the server.
    bool v6 = server_.host.find(':') != std::string::npos;
    std::string host = v6 ? "[" + server_.host + "]" : server_.host;
    req.headers.emplace("Host",
                        server_.port == 80 ? host : host + ":" + std::to_string(server_.port));
  }
  for (const auto& [name, value] : headers) req.headers.emplace(name, value);
  if (!content_type.empty()) req.headers.emplace("Content-Type", content_type);
  if (method == "POST" || method == "PUT" || !body.empty()) req.body = body;

  HttpResponse out;
  out.origin = server_.Base();
  out.request = method + " " + path.substr(0, path.find('?'));
  bool too_big = false;
  auto take_head = [&out](const httplib::Response& r) {
    out.status = r.status;
    out.content_type = r.get_header_value("Content-Type");
    out.location = r.get_header_value("Location");
    out.burned = r.get_header_value("X-Burned") == "yes";
    std::string retry = r.get_header_value("Retry-After");
    out.retry_after = !retry.empty() && retry.size() <= 3 &&
                              retry.find_first_not_of("0123456789") == std::string::npos
                          ? std::stoi(retry)
                          : 0;
  };
  // Before the body (whether it streams depends on the status); not called
  // for answers without one (204, HEAD).
  req.response_handler = [&](const httplib::Response& r) {
    take_head(r);
    guard.BodyStarts(sink && out.ok());
    return true;
  };
  auto last_data = std::chrono::steady_clock::now();
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (sink && out.ok()) {
      sink->write(data, static_cast<std::streamsize>(n));
      out.streamed += n;
      last_data = std::chrono::steady_clock::now();
      guard.Streamed(out.streamed);
      out.sink_failed = !*sink;
      return !out.sink_failed;
    }
    // Never more than this in memory, whatever the server sends.
    if (out.body.size() + n > max_answer_bytes_) {
      too_big = true;
      return false;
    }
    out.body.append(data, n);
    return true;
  };
  auto started = std::chrono::steady_clock::now();
  httplib::Result r = client.send(req);
  bool timed_out = guard.timed_out() ||
                   std::chrono::steady_clock::now() - started >= std::chrono::seconds(timeout_sec_);
  last_refused_ = !r && r.error() == httplib::Error::Connection;
  if (out.sink_failed) return out;
  if (guard.head_too_big()) {
    return Status(Code::kUnavailable, "the answer from " + server_.Base() +
                                          " has headers larger than " + SizeOf(kMaxHeadBytes) +
                                          ", more than a pastebin server sends; is it one?");
  }
  if (too_big || guard.too_big()) {
    return Status(Code::kUnavailable, "the answer from " + server_.Base() + " is larger than " +
                                          SizeOf(max_answer_bytes_) +
                                          ", more than a pastebin server sends; is it one?");
  }
  if (!r) {
    bool stalled =
        std::chrono::steady_clock::now() - last_data >= std::chrono::seconds(timeout_sec_);
    if (out.streamed > 0 && stalled) {
      return Status(Code::kUnavailable, server_.Base() + " stopped sending after " +
                                            std::to_string(out.streamed) + " bytes for " +
                                            std::to_string(timeout_sec_) +
                                            " s; try again, or --timeout SECONDS waits longer");
    }
    if (out.streamed > 0 && guard.timed_out()) {
      return Status(Code::kUnavailable, server_.Base() + " stopped sending after " +
                                            std::to_string(out.streamed) + " bytes: slower than " +
                                            std::to_string(ExchangeGuard::kMinStreamRate >> 10) +
                                            " KiB/s past " + std::to_string(timeout_sec_) +
                                            " s; try again, or --timeout SECONDS waits longer");
    }
    if (out.streamed > 0) {
      return Status(Code::kUnavailable, "the connection to " + server_.Base() + " broke after " +
                                            std::to_string(out.streamed) + " bytes (" +
                                            DescribeError(r.error()) + "); try again");
    }
    return Status(Code::kUnavailable, DescribeFailure(server_, r.error(), timed_out, timeout_sec_));
  }
  take_head(*r);
  return out;
}

}  // namespace pastebin
