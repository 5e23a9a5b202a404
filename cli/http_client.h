// HttpClient: the CLI's seam to the server. One request per call, over
// cpp-httplib's client (http and https).
#ifndef PASTEBIN_CLI_HTTP_CLIENT_H_
#define PASTEBIN_CLI_HTTP_CLIENT_H_

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/url.h"

namespace pastebin {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string location;  // the Location header, for redirects
  bool ok() const { return status >= 200 && status < 300; }
  // The error the answer stands for (see ParseErrorJson); OK for 2xx.
  Status Error() const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(ServerUrl server) : server_(std::move(server)) {}

  // Sends method to server.Base() + path (path starts with '/'). Any HTTP
  // answer is a value, whatever its status; only a transport failure (no
  // connection, timeout, TLS error) is kUnavailable, naming the server and
  // what to do.
  Result<HttpResponse> Send(const std::string& method, const std::string& path,
                            const std::string& body = "",
                            const std::string& content_type = "",
                            const HeaderList& headers = {}) const;

  const ServerUrl& server() const { return server_; }

  // True when the last Send failed because nothing accepted the connection
  // (so nothing was sent and a retry cannot duplicate anything).
  bool last_refused() const { return last_refused_; }

 private:
  ServerUrl server_;
  mutable bool last_refused_ = false;
};

}  // namespace pastebin

#endif  // PASTEBIN_CLI_HTTP_CLIENT_H_
