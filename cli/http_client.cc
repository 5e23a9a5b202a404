#include "cli/http_client.h"

#include <httplib.h>
#include <stdlib.h>

#include "common/version.h"
#include "common/wire.h"

namespace pastebin {
namespace {

constexpr time_t kConnectTimeoutSec = 5;
// Large pastes over slow links take a while; a hung server must not hang
// a cron job forever.
constexpr time_t kReadTimeoutSec = 60;

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

Result<HttpResponse> HttpClient::Send(const std::string& method,
                                      const std::string& path,
                                      const std::string& body,
                                      const std::string& content_type,
                                      const HeaderList& headers) const {
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

  httplib::Headers h = {{"User-Agent", std::string("pastebin/") + Version()}};
  for (const auto& [name, value] : headers) h.emplace(name, value);
  std::string full_path = server_.prefix + path;

  auto send = [&]() -> httplib::Result {
    if (method == "POST") return client.Post(full_path, h, body, content_type);
    if (method == "DELETE") {
      return client.Delete(full_path, h, body, content_type);
    }
    return client.Get(full_path, h);
  };
  httplib::Result r = send();
  last_refused_ = !r && r.error() == httplib::Error::Connection;
  if (!r) {
    return Status(Code::kUnavailable,
                  "cannot reach the pastebin server at " + server_.Base() +
                      " (" + DescribeError(r.error()) +
                      "); start it with 'pasted', or point --server or "
                      "PASTEBIN_SERVER at a running one");
  }
  HttpResponse out;
  out.status = r->status;
  out.body = std::move(r->body);
  out.content_type = r->get_header_value("Content-Type");
  out.location = r->get_header_value("Location");
  return out;
}

}  // namespace pastebin
