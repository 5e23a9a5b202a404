// RequestParser: HTTP/1.1 requests (RFC 9112) parsed incrementally from the
// bytes a connection delivers, strictly and in time linear in the input.
//
// Strict where the RFCs leave the server no choice: a request without Host
// (HTTP/1.1), with two, or with an invalid one is refused; an absolute-form
// target's authority wins over Host; control bytes in the target or in a
// field value, whitespace before a field's colon, folded lines, a
// Transfer-Encoding whose last coding is not chunked (or that names chunked
// twice), Transfer-Encoding with Content-Length, and more than one
// Content-Length are all 400 (an unknown transfer coding is 501); inside a
// chunked body only CRLF ends a line. Lenient where the RFCs allow it and
// framing is not at stake: a bare LF ends a line of the head like CRLF, and
// up to a few empty lines before a request are skipped.
//
// Limits hold however the bytes arrive: the request line, the header
// section and the trailer section (each in bytes and in fields), a chunk-size
// line, and the body, whose limit the caller may set per request once the
// head is known (SetBodyLimit after kHead). Nothing is reserved for a body
// before its bytes arrive.
#ifndef PASTEBIN_DAEMON_HTTP_HTTP_PARSER_H_
#define PASTEBIN_DAEMON_HTTP_HTTP_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/http/http_grammar.h"
#include "daemon/http/http_message.h"

namespace pastebin {

struct HttpLimits {
  size_t max_request_line = 8 * 1024;
  size_t max_header_bytes = 16 * 1024;  // request line and fields; trailers too
  size_t max_headers = 100;             // fields, and trailer fields
  size_t max_body = 10 * 1024 * 1024;   // unless SetBodyLimit says otherwise
  size_t max_chunk_line = 4 * 1024;     // a chunk size with its extensions
};

class RequestParser {
 public:
  enum class State {
    kNeedMore,  // incomplete: feed more bytes
    kHead,      // the head is complete and a body follows: see request(),
                // content_length(), and SetBodyLimit before parsing on
    kContinue,  // the client waits for "100 Continue" before the body
    kDone,      // a whole request: take it with TakeRequest()
    kError,     // malformed or over a limit: see error_status()
  };

  explicit RequestParser(const HttpLimits& limits) : limits_(limits) {}

  // Parses data, the connection's bytes from the first one not consumed
  // yet; *consumed is how many of them this call used (the caller drops
  // them before the next call). After kHead and kContinue call again.
  State Parse(std::string_view data, size_t* consumed);

  // The request as far as it is parsed (whole once kDone).
  const HttpRequest& request() const { return request_; }
  HttpRequest& mutable_request() { return request_; }
  HttpRequest TakeRequest() { return std::move(request_); }

  // After kHead: the announced length, or nullopt for a chunked body.
  std::optional<uint64_t> content_length() const { return content_length_; }
  // After kHead: the largest body this request may have; over it, 413.
  void SetBodyLimit(size_t bytes) { body_limit_ = bytes; }

  // Ready for the next request on the connection.
  void Reset();

  // For kError: the status to answer (400, 413, 414, 431, 501, 505) and why.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

  // True once a byte of the current request (not a leading empty line)
  // arrived: the request is in flight from then on.
  bool started() const { return started_; }
  // True while the head is still incomplete.
  bool in_headers() const { return phase_ <= Phase::kFields; }

 private:
  enum class Phase {
    kStart,  // skipping empty lines before a request
    kRequestLine,
    kFields,
    kHeadDone,  // kHead returned; the body comes next
    kBody,      // Content-Length bytes
    kChunkSize,
    kChunkData,
    kChunkDataEnd,  // the line break after a chunk's data
    kTrailer,
    kDone,
  };
  enum class Line { kComplete, kPartial, kTooLong, kBareLf };
  bool InChunkedBody() const { return phase_ >= Phase::kChunkSize && phase_ <= Phase::kTrailer; }

  State Step(std::string_view data, size_t& pos);
  State Fail(int status, std::string message);
  // The next line from pos (without its CRLF or LF) when complete; a line
  // longer than max_len is kTooLong however much of it has arrived.
  Line NextLine(std::string_view data, size_t& pos, size_t max_len, std::string_view* line);
  State ParseRequestLine(std::string_view line);
  // Checks one "name: value" line; stores it unless trailer.
  State ParseField(std::string_view line, bool trailer);
  State FinishHead();
  State ParseChunkSize(std::string_view line);
  void AppendBody(std::string_view bytes, uint64_t expected_total);

  HttpLimits limits_;
  Phase phase_ = Phase::kStart;
  HttpRequest request_;
  bool started_ = false;
  size_t blank_bytes_ = 0;    // CR/LF skipped before this request
  size_t scanned_ = 0;        // bytes of the current line known to hold no LF
  size_t section_bytes_ = 0;  // of the head, or of the trailer section
  size_t trailer_fields_ = 0;
  std::optional<uint64_t> content_length_;
  size_t body_limit_ = 0;
  uint64_t remaining_ = 0;  // of the Content-Length body, or of a chunk
  bool expect_continue_ = false;
  bool continue_sent_ = false;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_HTTP_PARSER_H_
