#include "daemon/http_message.h"

#include <cstring>

#include "common/strings.h"

namespace pastebin {
namespace {

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

// True if the comma-separated list value holds token (case-insensitive).
bool ListHas(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (EqualsIgnoreCase(Trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The line ending at the first '\n' of s (without "\r\n"), and its length
// with the terminator; npos if there is none yet.
size_t LineEnd(std::string_view s, std::string_view* line) {
  size_t nl = s.find('\n');
  if (nl == std::string_view::npos) return nl;
  *line = s.substr(0, nl);
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  return nl + 1;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
        HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return {};
}

bool HttpRequest::HasHeader(std::string_view name) const {
  for (const auto& h : headers) {
    if (EqualsIgnoreCase(h.first, name)) return true;
  }
  return false;
}

std::string HttpRequest::Param(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    if (PercentDecode(pair.substr(0, eq), true) == name) {
      return eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return "";
}

bool HttpRequest::HasParam(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    if (PercentDecode(pair.substr(0, pair.find('=')), true) == name) return true;
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return false;
}

void HttpResponse::SetContent(std::string content, std::string_view content_type) {
  body = std::move(content);
  SetHeader("Content-Type", content_type);
}

void HttpResponse::SetHeader(std::string_view name, std::string_view value) {
  for (auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) {
      v = std::string(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::string(value));
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: return "Unknown";
  }
}

std::string SerializeResponse(const HttpResponse& res, bool keep_alive,
                              bool head, std::string_view date) {
  bool no_body = res.status == 204 || res.status == 304 || res.status < 200;
  std::string out;
  out.reserve(160 + res.headers.size() * 40 + (head ? 0 : res.body.size()));
  out += "HTTP/1.1 ";
  out += std::to_string(res.status);
  out += ' ';
  out += ReasonPhrase(res.status);
  out += "\r\nDate: ";
  out += date;
  out += "\r\n";
  for (const auto& [name, value] : res.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!no_body) {
    out += "Content-Length: ";
    out += std::to_string(res.body.size());
    out += "\r\n";
  }
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  if (!head && !no_body) out += res.body;
  return out;
}

void RequestParser::Reset() {
  phase_ = Phase::kHeaders;
  request_ = HttpRequest();
  started_ = false;
  continue_sent_ = false;
  expect_continue_ = false;
  body_remaining_ = 0;
  error_status_ = 0;
  error_message_.clear();
}

RequestParser::State RequestParser::Fail(int status, std::string message) {
  error_status_ = status;
  error_message_ = std::move(message);
  return State::kError;
}

bool RequestParser::ParseRequestLine(std::string_view line) {
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1 || sp1 == 0) return false;
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  for (char c : method) {
    if (!IsTokenChar(c)) return false;
  }
  if (target.empty() || target.find(' ') != std::string_view::npos) return false;
  if (version.size() != 8 || version.compare(0, 7, "HTTP/1.") != 0) {
    error_status_ = version.compare(0, 5, "HTTP/") == 0 ? 505 : 400;
    return false;
  }
  if (version[7] != '0' && version[7] != '1') {
    error_status_ = 505;
    return false;
  }
  // absolute-form (as sent to proxies): keep the path.
  if (target.compare(0, 7, "http://") == 0 || target.compare(0, 8, "https://") == 0) {
    size_t slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.front() != '/' && target != "*") return false;
  request_.method = std::string(method);
  request_.target = std::string(target);
  request_.minor_version = version[7] - '0';
  size_t q = target.find('?');
  request_.path = PercentDecode(target.substr(0, q), false);
  if (q != std::string_view::npos) request_.query = std::string(target.substr(q + 1));
  return true;
}

RequestParser::State RequestParser::ParseHeaders(std::string* buffer) {
  // Clients may send stray line breaks between requests.
  size_t skip = 0;
  while (skip < buffer->size() && ((*buffer)[skip] == '\r' || (*buffer)[skip] == '\n')) {
    ++skip;
  }
  if (skip) buffer->erase(0, skip);
  if (buffer->empty()) return State::kNeedMore;
  started_ = true;

  std::string_view data(*buffer);
  size_t end = data.find("\r\n\r\n");
  size_t end_len = 4;
  size_t lf_end = data.find("\n\n");
  if (lf_end != std::string_view::npos && (end == std::string_view::npos || lf_end < end)) {
    end = lf_end;
    end_len = 2;
  }
  if (end == std::string_view::npos) {
    size_t first_nl = data.find('\n');
    if (first_nl == std::string_view::npos && data.size() > limits_.max_request_line) {
      return Fail(414, "request line longer than " +
                           std::to_string(limits_.max_request_line) + " bytes");
    }
    if (data.size() > limits_.max_header_bytes) {
      return Fail(431, "request headers longer than " +
                           std::to_string(limits_.max_header_bytes) + " bytes");
    }
    return State::kNeedMore;
  }
  if (end + end_len > limits_.max_header_bytes) {
    return Fail(431, "request headers longer than " +
                         std::to_string(limits_.max_header_bytes) + " bytes");
  }

  std::string_view head = data.substr(0, end + end_len);
  std::string_view line;
  size_t used = LineEnd(head, &line);
  if (line.size() > limits_.max_request_line) {
    return Fail(414, "request line longer than " +
                         std::to_string(limits_.max_request_line) + " bytes");
  }
  if (!ParseRequestLine(line)) {
    if (error_status_ == 505) {
      return Fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
    }
    return Fail(400, "malformed request line");
  }
  head.remove_prefix(used);
  for (;;) {
    used = LineEnd(head, &line);
    if (used == std::string_view::npos) return Fail(400, "malformed headers");
    head.remove_prefix(used);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      return Fail(400, "folded header lines are not allowed");
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Fail(400, "malformed header line");
    }
    std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!IsTokenChar(c)) return Fail(400, "malformed header name");
    }
    if (request_.headers.size() >= limits_.max_headers) {
      return Fail(431, "more than " + std::to_string(limits_.max_headers) + " headers");
    }
    request_.headers.emplace_back(std::string(name),
                                  std::string(Trim(line.substr(colon + 1))));
  }
  buffer->erase(0, end + end_len);

  std::string_view connection = request_.Header("Connection");
  request_.keep_alive = request_.minor_version == 1 ? !ListHas(connection, "close")
                                                    : ListHas(connection, "keep-alive");

  // The body: chunked or Content-Length, never both (request smuggling).
  std::string_view te = request_.Header("Transfer-Encoding");
  bool has_length = false;
  uint64_t length = 0;
  for (const auto& [n, v] : request_.headers) {
    if (!EqualsIgnoreCase(n, "Content-Length")) continue;
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
      return Fail(400, "malformed Content-Length");
    }
    uint64_t this_length = std::stoull(v);
    if (has_length && this_length != length) return Fail(400, "conflicting Content-Length");
    has_length = true;
    length = this_length;
  }
  if (!te.empty()) {
    if (has_length) return Fail(400, "both Transfer-Encoding and Content-Length");
    if (request_.minor_version == 0) return Fail(400, "Transfer-Encoding in HTTP/1.0");
    std::string_view last = te.substr(te.rfind(',') == std::string_view::npos ? 0 : te.rfind(',') + 1);
    if (!EqualsIgnoreCase(Trim(last), "chunked")) {
      return Fail(501, "unsupported Transfer-Encoding '" + std::string(te) + "'");
    }
    phase_ = Phase::kChunkSize;
  } else if (length > 0) {
    if (length > limits_.max_body) {
      return Fail(413, "request body of " + std::to_string(length) +
                           " bytes is larger than this server accepts (" +
                           std::to_string(limits_.max_body) + " bytes)");
    }
    body_remaining_ = static_cast<size_t>(length);
    request_.body.reserve(body_remaining_);
    phase_ = Phase::kBody;
  } else {
    phase_ = Phase::kDone;
    return State::kDone;
  }
  expect_continue_ = EqualsIgnoreCase(request_.Header("Expect"), "100-continue");
  return State::kNeedMore;
}

RequestParser::State RequestParser::ParseChunked(std::string* buffer) {
  for (;;) {
    std::string_view data(*buffer);
    std::string_view line;
    if (phase_ == Phase::kChunkSize) {
      size_t used = LineEnd(data, &line);
      if (used == std::string_view::npos) {
        return data.size() > 1024 ? Fail(400, "malformed chunk size") : State::kNeedMore;
      }
      std::string_view hex = line.substr(0, line.find(';'));
      hex = Trim(hex);
      if (hex.empty() || hex.size() > 15) return Fail(400, "malformed chunk size");
      uint64_t size = 0;
      for (char c : hex) {
        if (HexValue(c) < 0) return Fail(400, "malformed chunk size");
        size = size * 16 + static_cast<uint64_t>(HexValue(c));
      }
      buffer->erase(0, used);
      if (size == 0) {
        phase_ = Phase::kChunkTrailer;
        continue;
      }
      if (request_.body.size() + size > limits_.max_body) {
        return Fail(413, "request body is larger than this server accepts (" +
                             std::to_string(limits_.max_body) + " bytes)");
      }
      body_remaining_ = static_cast<size_t>(size);
      phase_ = Phase::kChunkData;
    } else if (phase_ == Phase::kChunkData) {
      size_t take = std::min(body_remaining_, buffer->size());
      request_.body.append(*buffer, 0, take);
      buffer->erase(0, take);
      body_remaining_ -= take;
      if (body_remaining_ > 0) return State::kNeedMore;
      // The CRLF after the chunk data.
      if (buffer->size() < 2) return State::kNeedMore;
      if ((*buffer)[0] == '\n') {
        buffer->erase(0, 1);
      } else if ((*buffer)[0] == '\r' && (*buffer)[1] == '\n') {
        buffer->erase(0, 2);
      } else {
        return Fail(400, "malformed chunk");
      }
      phase_ = Phase::kChunkSize;
    } else {  // trailer fields, ignored, up to an empty line
      size_t used = LineEnd(data, &line);
      if (used == std::string_view::npos) {
        return data.size() > limits_.max_header_bytes ? Fail(431, "trailer too long")
                                                      : State::kNeedMore;
      }
      buffer->erase(0, used);
      if (line.empty()) {
        phase_ = Phase::kDone;
        return State::kDone;
      }
    }
  }
}

RequestParser::State RequestParser::Parse(std::string* buffer) {
  if (phase_ == Phase::kHeaders) {
    State s = ParseHeaders(buffer);
    if (s != State::kNeedMore || phase_ == Phase::kHeaders) return s;
  }
  if (phase_ == Phase::kDone) return State::kDone;
  if (expect_continue_ && !continue_sent_) {
    continue_sent_ = true;
    if (buffer->empty()) return State::kContinue;
  }
  if (phase_ == Phase::kBody) {
    size_t take = std::min(body_remaining_, buffer->size());
    request_.body.append(*buffer, 0, take);
    buffer->erase(0, take);
    body_remaining_ -= take;
    if (body_remaining_ > 0) return State::kNeedMore;
    phase_ = Phase::kDone;
    return State::kDone;
  }
  return ParseChunked(buffer);
}

}  // namespace pastebin
