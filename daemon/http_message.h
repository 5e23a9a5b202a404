// HTTP/1.1 messages as pasted's server sees them: a request (parsed
// incrementally from the bytes a connection delivers, with hard limits on
// every part) and a response (serialized in one buffer).
#ifndef PASTEBIN_DAEMON_HTTP_MESSAGE_H_
#define PASTEBIN_DAEMON_HTTP_MESSAGE_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pastebin {

using HeaderFields = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;
  std::string target;   // as sent: path and query, still percent-encoded
  std::string path;     // percent-decoded, without the query
  std::string query;    // after '?', still encoded
  int minor_version = 1;  // HTTP/1.minor
  HeaderFields headers;
  std::string body;
  std::string remote_addr;
  bool keep_alive = true;  // from the version and the Connection header

  // Set by the server: false while the handler runs on an event loop,
  // where it must not wait for the disk (see HttpResponse::would_block).
  bool may_block = true;

  // Filled by the router.
  int route = -1;                        // index in the route table
  std::vector<std::string> path_params;  // the {link} segments
  std::chrono::steady_clock::time_point received;  // when complete

  // The first header with this name (case-insensitive); "" if none.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The first query parameter with this name, percent-decoded ('+' is a
  // space); "" if none.
  std::string Param(std::string_view name) const;
  bool HasParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HeaderFields headers;  // Content-Length and Connection are added on send
  std::string body;
  // Set by a handler run with req.may_block false that would have to wait:
  // the server then runs it again on a worker.
  bool would_block = false;

  void SetContent(std::string content, std::string_view content_type);
  void SetHeader(std::string_view name, std::string_view value);
};

// "OK", "Not Found", ...
const char* ReasonPhrase(int status);

// Percent-decodes s; with plus_is_space, '+' becomes ' ' (query strings).
std::string PercentDecode(std::string_view s, bool plus_is_space);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The status line, headers (with Content-Length, Connection and Date added)
// and body (left out for HEAD requests, whose Content-Length still counts it).
// date is an IMF-fixdate ("Sat, 28 Nov 2026 08:00:00 GMT").
std::string SerializeResponse(const HttpResponse& res, bool keep_alive,
                              bool head, std::string_view date);

struct HttpLimits {
  size_t max_request_line = 8 * 1024;
  size_t max_header_bytes = 16 * 1024;  // the whole header section
  size_t max_headers = 100;
  size_t max_body = 10 * 1024 * 1024;
};

// Parses one request at a time from a byte stream. Feed it everything a
// connection has delivered (Parse consumes what it used); call Reset()
// before the next request on a kept-alive connection.
class RequestParser {
 public:
  enum class State {
    kNeedMore,      // incomplete; read more
    kContinue,      // headers done and the client waits for 100 Continue
    kDone,          // a whole request: take it with TakeRequest()
    kError,         // malformed or over a limit: see error_status()
  };

  explicit RequestParser(const HttpLimits& limits) : limits_(limits) {}

  // Consumes bytes from the front of *buffer and advances. After kContinue,
  // call again (the caller sends "100 Continue" once).
  State Parse(std::string* buffer);

  HttpRequest TakeRequest() { return std::move(request_); }
  void Reset();

  // For kError: the status to answer (400, 408, 413, 414, 431, 501, 505)
  // and why, for the error body.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

  // True once any byte of the current request arrived (a request is "in
  // flight" from then on).
  bool started() const { return started_; }
  // True while the headers are still incomplete.
  bool in_headers() const { return phase_ == Phase::kHeaders; }

 private:
  enum class Phase { kHeaders, kBody, kChunkSize, kChunkData, kChunkTrailer, kDone };
  State Fail(int status, std::string message);
  State ParseHeaders(std::string* buffer);
  State ParseChunked(std::string* buffer);
  bool ParseRequestLine(std::string_view line);

  HttpLimits limits_;
  Phase phase_ = Phase::kHeaders;
  HttpRequest request_;
  bool started_ = false;
  bool continue_sent_ = false;
  bool expect_continue_ = false;
  size_t body_remaining_ = 0;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_MESSAGE_H_
