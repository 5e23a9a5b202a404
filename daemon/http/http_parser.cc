#include "daemon/http/http_parser.h"

#include <algorithm>

namespace pastebin {
namespace {

// Empty lines tolerated before a request line (RFC 9112 §2.2 asks for at
// least one); more is not a client, and would keep an idle connection open.
constexpr size_t kMaxBlankBytes = 8;

}  // namespace

void RequestParser::Reset() {
  phase_ = Phase::kStart;
  request_ = HttpRequest();
  started_ = false;
  blank_bytes_ = 0;
  scanned_ = 0;
  section_bytes_ = 0;
  trailer_fields_ = 0;
  content_length_.reset();
  body_limit_ = 0;
  remaining_ = 0;
  expect_continue_ = false;
  continue_sent_ = false;
  error_status_ = 0;
  error_message_.clear();
}

RequestParser::State RequestParser::Fail(int status, std::string message) {
  error_status_ = status;
  error_message_ = std::move(message);
  return State::kError;
}

RequestParser::State RequestParser::Parse(std::string_view data, size_t* consumed) {
  size_t pos = 0;
  State s = Step(data, pos);
  *consumed = pos;
  return s;
}

RequestParser::Line RequestParser::NextLine(std::string_view data, size_t& pos, size_t max_len,
                                            std::string_view* line) {
  // Search only bytes not searched before: a line arriving a byte at a
  // time costs linear time, not quadratic.
  size_t nl = data.find('\n', pos + scanned_);
  if (nl == std::string_view::npos) {
    scanned_ = data.size() - pos;
    // One byte of slack for the CR of a CRLF still to come.
    return scanned_ > max_len + 1 ? Line::kTooLong : Line::kPartial;
  }
  scanned_ = 0;
  *line = data.substr(pos, nl - pos);
  bool crlf = !line->empty() && line->back() == '\r';
  if (crlf) line->remove_suffix(1);
  if (line->size() > max_len) return Line::kTooLong;
  // Inside a chunked body only CRLF ends a line: leniency in how a body is
  // framed is how a proxy and a server come to disagree on where it ends.
  if (!crlf && InChunkedBody()) return Line::kBareLf;
  pos = nl + 1;
  return Line::kComplete;
}

RequestParser::State RequestParser::ParseRequestLine(std::string_view line) {
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return Fail(400, "malformed request line");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (version.size() == 8 && version.compare(0, 5, "HTTP/") == 0 && version[6] == '.' &&
      isdigit(static_cast<unsigned char>(version[5])) &&
      isdigit(static_cast<unsigned char>(version[7])) && (version[5] != '1' || version[7] > '1')) {
    return Fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return Fail(400, "malformed request line");
  }
  if (!IsToken(method)) return Fail(400, "malformed request line: bad method");
  if (target.empty()) return Fail(400, "malformed request line: no target");
  for (unsigned char c : target) {
    if (c <= 0x20 || c >= 0x7f) {
      return Fail(400,
                  "the request target holds a space, control or non-ASCII byte; "
                  "percent-encode it");
    }
  }
  // absolute-form (as sent to proxies): its authority names the host.
  std::string origin_form;
  size_t scheme_end = target.find("://");
  if (scheme_end == 4 || scheme_end == 5) {
    std::string_view scheme = target.substr(0, scheme_end);
    if (!EqualsIgnoreCase(scheme, "http") && !EqualsIgnoreCase(scheme, "https")) {
      return Fail(400, "malformed request target");
    }
    std::string_view rest = target.substr(scheme_end + 3);
    size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    if (authority.find('@') != std::string_view::npos ||
        !IsValidAuthority(authority, /*allow_empty=*/false)) {
      return Fail(400, "malformed host in the request target");
    }
    request_.authority = std::string(authority);
    request_.absolute_form = true;
    if (end == std::string_view::npos) {
      origin_form = "/";
    } else {
      origin_form = (rest[end] == '?' ? "/" : "") + std::string(rest.substr(end));
    }
  } else if (target.front() == '/' || target == "*") {
    origin_form = std::string(target);
  } else {
    return Fail(400, "malformed request target");
  }
  request_.method = std::string(method);
  request_.target = std::move(origin_form);
  request_.minor_version = version[7] - '0';
  size_t q = request_.target.find('?');
  request_.path = PercentDecode(std::string_view(request_.target).substr(0, q), false);
  if (q != std::string::npos) request_.query = request_.target.substr(q + 1);
  return State::kNeedMore;
}

RequestParser::State RequestParser::ParseField(std::string_view line, bool trailer) {
  if (IsWhitespace(line.front())) {
    return Fail(400, "folded header lines are not allowed");
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Fail(400, "malformed header line");
  }
  std::string_view name = line.substr(0, colon);
  if (!IsToken(name)) {
    return Fail(400, IsWhitespace(name.back()) ? "whitespace before a header's colon"
                                               : "malformed header name");
  }
  std::string_view value = TrimWhitespace(line.substr(colon + 1));
  for (unsigned char c : value) {
    if (!IsFieldValueByte(c)) {
      return Fail(400, "header " + std::string(name) + " holds a control byte");
    }
  }
  if (trailer) {
    // Framing and routing are settled by the head; a trailer that tries to
    // say otherwise is a client playing games.
    for (const char* framing : {"Transfer-Encoding", "Content-Length", "Host", "Connection"}) {
      if (EqualsIgnoreCase(name, framing)) {
        return Fail(400, std::string(framing) + " is not allowed in a trailer");
      }
    }
    if (++trailer_fields_ > limits_.max_headers) {
      return Fail(431, "more than " + std::to_string(limits_.max_headers) + " trailer fields");
    }
    return State::kNeedMore;
  }
  if (request_.headers.size() >= limits_.max_headers) {
    return Fail(431, "more than " + std::to_string(limits_.max_headers) + " headers");
  }
  // A browser sends a dozen: room for them at once, not five regrowths.
  if (request_.headers.empty()) request_.headers.reserve(16);
  request_.headers.emplace_back(std::string(name), std::string(value));
  return State::kNeedMore;
}

RequestParser::State RequestParser::FinishHead() {
  HttpRequest& r = request_;
  // Host: exactly one in HTTP/1.1, at most one in 1.0; the absolute-form
  // target's authority wins over it (RFC 9112 §3.2.2).
  int hosts = 0;
  bool close = false, keep_alive = false;
  bool chunked_last = false, other_coding = false, has_te = false;
  int chunked_count = 0;
  int lengths = 0;
  uint64_t length = 0;
  for (const auto& [name, value] : r.headers) {
    if (EqualsIgnoreCase(name, "Host")) {
      if (++hosts > 1) return Fail(400, "more than one Host header");
      if (!IsValidAuthority(value, /*allow_empty=*/true)) {
        return Fail(400, "invalid Host header");
      }
      if (!r.absolute_form) r.authority = value;
    } else if (EqualsIgnoreCase(name, "Connection")) {
      // It decides whether the connection lives on: only tokens, or 400.
      bool tokens = true;
      ForEachListElement(value, [&](std::string_view option) {
        tokens = tokens && IsToken(option);
        if (EqualsIgnoreCase(option, "close")) close = true;
        if (EqualsIgnoreCase(option, "keep-alive")) keep_alive = true;
      });
      if (!tokens) return Fail(400, "malformed Connection header");
    } else if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      // All Transfer-Encoding fields make one list (RFC 9110 §5.3).
      has_te = true;
      ForEachListElement(value, [&](std::string_view coding) {
        chunked_last = EqualsIgnoreCase(coding, "chunked");
        if (chunked_last) {
          chunked_count++;
        } else {
          other_coding = true;
        }
      });
    } else if (EqualsIgnoreCase(name, "Content-Length")) {
      if (value.empty() || value.size() > 18 ||
          value.find_first_not_of("0123456789") != std::string::npos) {
        return Fail(400, "malformed Content-Length");
      }
      if (++lengths > 1) return Fail(400, "more than one Content-Length");
      length = std::stoull(value);
    } else if (EqualsIgnoreCase(name, "Expect")) {
      expect_continue_ = EqualsIgnoreCase(value, "100-continue");
    }
  }
  if (hosts == 0 && r.minor_version == 1) {
    return Fail(400, "an HTTP/1.1 request needs a Host header");
  }
  r.keep_alive = r.minor_version == 1 ? !close : keep_alive && !close;
  // 100 Continue is HTTP/1.1's; a 1.0 client never waits for it.
  if (r.minor_version == 0) expect_continue_ = false;

  if (has_te) {
    if (lengths) return Fail(400, "both Transfer-Encoding and Content-Length");
    if (r.minor_version == 0) return Fail(400, "Transfer-Encoding in HTTP/1.0");
    // Unless chunked is the last coding the body's end cannot be found.
    if (!chunked_last) return Fail(400, "Transfer-Encoding must end with chunked");
    if (other_coding) {
      return Fail(501, "unsupported Transfer-Encoding; only chunked is accepted");
    }
    if (chunked_count > 1) return Fail(400, "chunked named more than once in Transfer-Encoding");
    phase_ = Phase::kHeadDone;
    body_limit_ = limits_.max_body;
    return State::kHead;
  }
  if (length == 0) {
    phase_ = Phase::kDone;
    return State::kDone;
  }
  content_length_ = length;
  body_limit_ = limits_.max_body;
  phase_ = Phase::kHeadDone;
  return State::kHead;
}

RequestParser::State RequestParser::ParseChunkSize(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == '0' && i + 1 < line.size() && HexValue(line[i + 1]) >= 0) {
    ++i;  // leading zeros
  }
  size_t start = i;
  uint64_t size = 0;
  for (; i < line.size() && HexValue(line[i]) >= 0; ++i) {
    if (i - start >= 15) return Fail(400, "chunk size too large");
    size = size * 16 + static_cast<uint64_t>(HexValue(line[i]));
  }
  if (i == start) return Fail(400, "malformed chunk size");
  if (!IsChunkExtensions(line.substr(i))) return Fail(400, "malformed chunk size");
  if (size == 0) {
    phase_ = Phase::kTrailer;
    section_bytes_ = 0;
    return State::kNeedMore;
  }
  if (request_.body.size() + size > body_limit_) {
    return Fail(413, "request body is larger than this server accepts here (" +
                         std::to_string(body_limit_) + " bytes)");
  }
  remaining_ = size;
  phase_ = Phase::kChunkData;
  return State::kNeedMore;
}

void RequestParser::AppendBody(std::string_view bytes, uint64_t expected_total) {
  std::string& body = request_.body;
  size_t needed = body.size() + bytes.size();
  if (needed > body.capacity()) {
    // Grow with what arrives, never to what was only announced; a known
    // length caps the growth so the body ends without slack.
    size_t grow = std::max(needed, body.capacity() * 2);
    body.reserve(
        static_cast<size_t>(std::min<uint64_t>(grow, std::max<uint64_t>(needed, expected_total))));
  }
  body.append(bytes);
}

RequestParser::State RequestParser::Step(std::string_view data, size_t& pos) {
  for (;;) {
    std::string_view line;
    switch (phase_) {
      case Phase::kStart:
        while (pos < data.size() && (data[pos] == '\r' || data[pos] == '\n')) {
          ++pos;
          if (++blank_bytes_ > kMaxBlankBytes) return Fail(400, "malformed request");
        }
        if (pos == data.size()) return State::kNeedMore;
        started_ = true;
        phase_ = Phase::kRequestLine;
        break;

      case Phase::kRequestLine: {
        size_t max = std::min(limits_.max_request_line, limits_.max_header_bytes);
        Line l = NextLine(data, pos, max, &line);
        if (l == Line::kPartial) return State::kNeedMore;
        if (l == Line::kTooLong) {
          return Fail(414, "request line longer than " + std::to_string(limits_.max_request_line) +
                               " bytes");
        }
        section_bytes_ = line.size() + 2;
        State s = ParseRequestLine(line);
        if (s == State::kError) return s;
        phase_ = Phase::kFields;
        break;
      }

      case Phase::kFields:
      case Phase::kTrailer: {
        bool trailer = phase_ == Phase::kTrailer;
        size_t left = limits_.max_header_bytes - std::min(section_bytes_, limits_.max_header_bytes);
        Line l = NextLine(data, pos, left, &line);
        if (l == Line::kPartial) return State::kNeedMore;
        if (l == Line::kBareLf) return Fail(400, "a trailer line must end with CRLF");
        if (l == Line::kTooLong) {
          return Fail(431, std::string(trailer ? "trailer section" : "request headers") +
                               " longer than " + std::to_string(limits_.max_header_bytes) +
                               " bytes");
        }
        section_bytes_ += line.size() + 2;
        if (line.empty()) {
          if (trailer) {
            phase_ = Phase::kDone;
            return State::kDone;
          }
          return FinishHead();
        }
        State s = ParseField(line, trailer);
        if (s == State::kError) return s;
        break;
      }

      case Phase::kHeadDone:
        if (content_length_ && *content_length_ > body_limit_) {
          return Fail(413, "request body of " + std::to_string(*content_length_) +
                               " bytes is larger than this server accepts here (" +
                               std::to_string(body_limit_) + " bytes)");
        }
        phase_ = content_length_ ? Phase::kBody : Phase::kChunkSize;
        remaining_ = content_length_.value_or(0);
        if (expect_continue_ && !continue_sent_) {
          continue_sent_ = true;
          if (pos == data.size()) return State::kContinue;
        }
        break;

      case Phase::kBody: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size() - pos));
        AppendBody(data.substr(pos, take), *content_length_);
        pos += take;
        remaining_ -= take;
        if (remaining_ > 0) return State::kNeedMore;
        phase_ = Phase::kDone;
        return State::kDone;
      }

      case Phase::kChunkSize: {
        Line l = NextLine(data, pos, limits_.max_chunk_line, &line);
        if (l == Line::kPartial) return State::kNeedMore;
        if (l == Line::kTooLong) return Fail(400, "chunk size line too long");
        if (l == Line::kBareLf) return Fail(400, "a chunk size line must end with CRLF");
        State s = ParseChunkSize(line);
        if (s == State::kError) return s;
        break;
      }

      case Phase::kChunkData: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size() - pos));
        AppendBody(data.substr(pos, take), 0);
        pos += take;
        remaining_ -= take;
        if (remaining_ > 0) return State::kNeedMore;
        phase_ = Phase::kChunkDataEnd;
        break;
      }

      case Phase::kChunkDataEnd:
        if (pos == data.size()) return State::kNeedMore;
        if (data[pos] != '\r') return Fail(400, "malformed chunk: its data must end with CRLF");
        if (pos + 1 == data.size()) return State::kNeedMore;
        if (data[pos + 1] != '\n') return Fail(400, "malformed chunk: its data must end with CRLF");
        pos += 2;
        phase_ = Phase::kChunkSize;
        break;

      case Phase::kDone:
        return State::kDone;
    }
  }
}

}  // namespace pastebin
