// HTTP/1.1 messages as pasted's server sees them: a request (parsed by
// RequestParser, http_parser.h) and a response (serialized in one buffer).
#ifndef PASTEBIN_DAEMON_HTTP_HTTP_MESSAGE_H_
#define PASTEBIN_DAEMON_HTTP_HTTP_MESSAGE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace pastebin {

using HeaderFields = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse;

struct HttpRequest {
  std::string method;
  std::string target;     // as sent: path and query, still percent-encoded
  std::string path;       // percent-decoded, without the query
  std::string query;      // after '?', still encoded
  int minor_version = 1;  // HTTP/1.minor
  HeaderFields headers;
  std::string body;
  // The host[:port] the client addressed: an absolute-form target's
  // authority, else the Host header (validated by the parser); "" when an
  // HTTP/1.0 client sent neither.
  std::string authority;
  bool absolute_form = false;
  std::string remote_addr;  // "" for a Unix socket peer
  // The peer's user id on a Unix socket (SO_PEERCRED); -1 over TCP.
  int64_t peer_uid = -1;
  bool keep_alive = true;  // from the version and the Connection header
  // Holds this request's share of the server's body memory budget until
  // the last copy of the request is gone.
  std::shared_ptr<void> body_charge;

  // Set by the server: false while the handler runs on an event loop,
  // where it must not wait for the disk (see HttpResponse::would_block).
  bool may_block = true;

  // What a handler on an event loop answers with when the answer comes
  // later (HttpResponse::deferred): call it once, from any thread, with a
  // function that fills in the response; that function then runs on the
  // connection's loop, with this request. Empty off the loop.
  using BuildAnswer = std::function<void(const HttpRequest&, HttpResponse&)>;
  std::function<void(BuildAnswer)> answer_later;
  // The other way to answer later, for a handler that waits for one thing
  // fetched without a thread of its own (a row a store asks for together
  // with others' rows): call it once, from any thread, with what came (set
  // res.deferred meanwhile). The server then runs the handler again on the
  // connection's loop, with `fetched` holding it. Empty off the loop.
  std::function<void(std::shared_ptr<const void>)> run_again_later;
  // On such a second run (and on a reader, should that run need one): what
  // run_again_later was given, for the handler that asked to know it.
  std::shared_ptr<const void> fetched;

  // Filled once where the request enters (HttpHandler::Admit, as soon as
  // its head is parsed) and kept with it on the loop, a reader or a worker.
  bool admitted = false;                           // Admit ran
  int route = -1;                                  // index in the route table; -1: none
  std::vector<std::string> path_params;            // the {link} segments
  std::string client;                              // the client's address (proxies weighed)
  bool gate_passed = false;                        // a creating route's write gate let it in
  std::chrono::steady_clock::time_point received;  // when complete

  // The first header with this name (case-insensitive); "" if none.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // Every field with this name joined by ", " (how a list-valued header
  // sent as several fields reads as one).
  std::string HeaderList(std::string_view name) const;
  // The first query parameter with this name, percent-decoded ('+' is a
  // space); "" if none.
  std::string Param(std::string_view name) const;
  bool HasParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HeaderFields headers;  // Content-Length and Connection are added on send
  std::string body;
  // Instead of body: bytes someone else keeps (a paste the cache holds),
  // sent from there, never copied per connection (see SetSharedContent).
  std::shared_ptr<const std::string> shared_body;
  // Set by a handler run with req.may_block false that would have to wait:
  // the server then runs it again on a worker.
  bool would_block = false;
  // Set by a handler that will answer through req.answer_later instead:
  // the connection waits for that answer, without holding a thread.
  bool deferred = false;

  void SetContent(std::string content, std::string_view content_type);
  // The body is bytes, kept alive by the pointer, that many answers may
  // share: a large one is sent straight from them and counts against no
  // connection's output.
  void SetSharedContent(std::shared_ptr<const std::string> content, std::string_view content_type);
  void SetHeader(std::string_view name, std::string_view value);
  // A value made for this answer is moved in, not copied (a string
  // literal or a view still takes the one above).
  template <typename S, typename = std::enable_if_t<std::is_same_v<S, std::string>>>
  void SetHeader(std::string_view name, S&& value) {
    SetHeaderValue(name, std::move(value));
  }
  void SetHeaderValue(std::string_view name, std::string value);
  size_t BodySize() const { return shared_body ? shared_body->size() : body.size(); }
  std::string_view Body() const {
    return shared_body ? std::string_view(*shared_body) : std::string_view(body);
  }
};

// "OK", "Not Found", ...
const char* ReasonPhrase(int status);

// 0-15 for a hex digit, else -1.
int HexValue(char c);

// Percent-decodes s; with plus_is_space, '+' becomes ' ' (query strings).
std::string PercentDecode(std::string_view s, bool plus_is_space);

// The first parameter of query (still encoded, after '?') whose decoded
// name is name, its value decoded ('+' is a space); nullopt if none. The one
// reading of a query: what a handler is given and what the access log's
// readers find must be the same parameter.
std::optional<std::string> QueryParam(std::string_view query, std::string_view name);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The status line, headers (with Content-Length, Connection and Date added)
// and body (left out for HEAD requests, whose Content-Length still counts it;
// and, when with_body is false, left for the caller to send).
// date is an IMF-fixdate ("Sat, 28 Nov 2026 08:00:00 GMT"); common_headers
// are whole header lines ("Name: value\r\n") that every answer carries.
std::string SerializeResponse(const HttpResponse& res, bool keep_alive, bool head,
                              std::string_view date, std::string_view common_headers = "",
                              bool with_body = true);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_HTTP_MESSAGE_H_
