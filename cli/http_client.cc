#include "cli/http_client.h"

#include <httplib.h>
#include <stdlib.h>

#include <chrono>
#include <thread>

#include "common/version.h"
#include "common/wire.h"

namespace pastebin {
namespace {

constexpr time_t kConnectTimeoutSec = 5;
// Large pastes over slow links take a while; a hung server must not hang
// a cron job forever.
constexpr time_t kReadTimeoutSec = 60;
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

}  // namespace

Status HttpResponse::Error() const {
  if (ok()) return Status::Ok();
  return ParseErrorJson(status, body);
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
  httplib::Client client(server_.Origin());
  client.set_connection_timeout(kConnectTimeoutSec, 0);
  client.set_read_timeout(kReadTimeoutSec, 0);
  client.set_write_timeout(kReadTimeoutSec, 0);
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
  for (const auto& [name, value] : headers) req.headers.emplace(name, value);
  if (!content_type.empty()) req.headers.emplace("Content-Type", content_type);
  if (method == "POST" || method == "PUT" || !body.empty()) req.body = body;

  HttpResponse out;
  bool too_big = false;
  auto take_head = [&out](const httplib::Response& r) {
    out.status = r.status;
    out.content_type = r.get_header_value("Content-Type");
    out.location = r.get_header_value("Location");
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
    return true;
  };
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (sink && out.ok()) {
      sink->write(data, static_cast<std::streamsize>(n));
      out.streamed += n;
      out.sink_failed = !*sink;
      return !out.sink_failed;
    }
    // Never more than this in memory, whatever the server sends.
    if (out.body.size() + n > kMaxAnswerBytes) {
      too_big = true;
      return false;
    }
    out.body.append(data, n);
    return true;
  };
  httplib::Result r = client.send(req);
  last_refused_ = !r && r.error() == httplib::Error::Connection;
  if (out.sink_failed) return out;
  if (too_big) {
    return Internal("the answer from " + server_.Base() + " is larger than " +
                    std::to_string(kMaxAnswerBytes >> 20) +
                    " MiB, more than a pastebin server sends; is it one?");
  }
  if (!r) {
    if (out.streamed > 0) {
      return Status(Code::kUnavailable, "the connection to " + server_.Base() + " broke after " +
                                            std::to_string(out.streamed) + " bytes (" +
                                            DescribeError(r.error()) + "); try again");
    }
    return Status(Code::kUnavailable, "cannot reach the pastebin server at " + server_.Base() +
                                          " (" + DescribeError(r.error()) +
                                          "); start it with 'pasted', or point --server or "
                                          "PASTEBIN_SERVER at a running one");
  }
  take_head(*r);
  return out;
}

}  // namespace pastebin
