// HttpClient: the CLI's seam to the server. One request per call, over
// cpp-httplib's client (http and https). It trusts the server with nothing
// it cannot check: answers are buffered only up to kMaxAnswerBytes, and a
// paste is streamed to its destination instead of held in memory.
#ifndef PASTEBIN_CLI_HTTP_CLIENT_H_
#define PASTEBIN_CLI_HTTP_CLIENT_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/url.h"

namespace pastebin {

// The most of an answer the client holds in memory, unless a command says
// less (set_max_answer_bytes); a paste being fetched is streamed instead
// (see Send's sink).
constexpr size_t kMaxAnswerBytes = 64 << 20;
// The most an answer's head (status line and headers) may take.
constexpr size_t kMaxHeadBytes = 1 << 20;

// How long the client waits for a server to accept, to take each part of a
// request, or to send the next part of its answer, unless --timeout or the
// config file's timeout says otherwise.
constexpr int kDefaultTimeoutSec = 10;

struct HttpResponse {
  int status = 0;
  std::string body;          // empty when a 2xx body went to a sink
  uint64_t streamed = 0;     // bytes of a 2xx body written to the sink
  bool sink_failed = false;  // the sink refused a write: the rest was dropped
  std::string content_type;
  std::string location;  // the Location header, for redirects
  bool burned = false;   // X-Burned: yes: a burn-after-reading paste's one reading
  int retry_after = 0;   // Retry-After in seconds, 0 if absent
  std::string origin;    // the server asked, "http://host:port", for messages
  std::string request;   // "POST /api/v1/paste", for messages
  bool ok() const { return status >= 200 && status < 300; }
  // True for a 2xx, or for an error answer carrying pasted's JSON error:
  // anything else came from another kind of server (or a proxy that could
  // not reach pasted).
  bool FromPastebin() const;
  // The error the answer stands for: pasted's (see ParseErrorJson), or for
  // an answer no pasted gives, kUnavailable saying what answered and what to
  // do. OK for 2xx.
  Status Error() const;
  // kUnavailable for a 2xx whose body is not what pasted sends (why says
  // what was wrong with it): another kind of server answered.
  Status NotPastebin(const std::string& why) const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(ServerUrl server, int timeout_sec = kDefaultTimeoutSec)
      : server_(std::move(server)), timeout_sec_(timeout_sec) {}

  // Sends method to server.Base() + path (path starts with '/'). Any HTTP
  // answer is a value, whatever its status. A transport failure (no
  // connection, no whole answer within the timeout, TLS error) is
  // kUnavailable, naming the server and what to do; so is an answer over
  // max_answer_bytes, or a head over kMaxHeadBytes (the server is not one
  // to trust). The timeout bounds the whole exchange; a streamed body may
  // take longer only while it keeps up ExchangeGuard::kMinStreamRate. With a sink, a 2xx body is
  // written there as it arrives (cut short if the connection breaks: kUnavailable saying how much
  // arrived; or if the sink fails: sink_failed); other answers are buffered as always. A 503 with a
  // Retry-After of 1 to 5 seconds is waited for and sent again, up to 3 times.
  Result<HttpResponse> Send(const std::string& method, const std::string& path,
                            const std::string& body = "", const std::string& content_type = "",
                            const HeaderList& headers = {}, std::ostream* sink = nullptr) const;

  const ServerUrl& server() const { return server_; }
  // Answers held in memory may be at most this big (kMaxAnswerBytes unless
  // set): commands that expect small answers say so.
  void set_max_answer_bytes(size_t bytes) { max_answer_bytes_ = bytes; }

  // True when the last Send failed because nothing accepted the connection
  // (so nothing was sent and a retry cannot duplicate anything).
  bool last_refused() const { return last_refused_; }

 private:
  Result<HttpResponse> SendOnce(const std::string& method, const std::string& path,
                                const std::string& body, const std::string& content_type,
                                const HeaderList& headers, std::ostream* sink) const;

  ServerUrl server_;
  int timeout_sec_;
  size_t max_answer_bytes_ = kMaxAnswerBytes;
  mutable bool last_refused_ = false;
};

}  // namespace pastebin

#endif  // PASTEBIN_CLI_HTTP_CLIENT_H_
