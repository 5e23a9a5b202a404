// libFuzzer target: pasted's HTTP request parser against an independent one
// (Boost.Beast's, from Debian's libboost-dev; used in this test only). Both
// get the same bytes; a disagreement on where a request ends, or on its
// body, is how request smuggling starts.
//
// Flagged: pasted accepting what Beast refuses, and both accepting with a
// different body or a different length consumed. Not flagged: pasted
// refusing what Beast accepts (pasted is stricter on purpose: Host rules,
// transfer codings other than chunked, duplicate Content-Length, control
// bytes, HTTP versions, limits). Known differences removed from the input
// first: a bare LF ends a line for pasted (RFC 9112 allows it) but not for
// Beast, so every LF is made CRLF; pasted skips empty lines before a
// request, so the input starts at its first other byte.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "daemon/http/http_parser.h"

namespace http = boost::beast::http;
using pastebin::RequestParser;

namespace {

constexpr size_t kMaxBody = 1 << 16;

struct Outcome {
  bool done = false;    // a whole request
  bool error = false;   // refused
  size_t consumed = 0;  // bytes up to the end of the request
  std::string body;
};

Outcome Ours(const std::string& in) {
  pastebin::HttpLimits limits;
  limits.max_body = kMaxBody;
  RequestParser p(limits);
  Outcome o;
  for (;;) {
    size_t used = 0;
    auto s = p.Parse(std::string_view(in).substr(o.consumed), &used);
    o.consumed += used;
    if (s == RequestParser::State::kHead || s == RequestParser::State::kContinue) continue;
    if (s == RequestParser::State::kError) o.error = true;
    if (s == RequestParser::State::kDone) {
      o.done = true;
      o.body = p.TakeRequest().body;
    }
    return o;
  }
}

Outcome Beasts(const std::string& in) {
  http::request_parser<http::string_body> p;
  p.eager(true);
  // Beast's limits are looser than pasted's: where they bite, pasted
  // refuses first, which is not flagged.
  p.header_limit(1 << 20);
  p.body_limit(1 << 20);
  Outcome o;
  while (o.consumed < in.size() && !p.is_done()) {
    boost::system::error_code ec;
    size_t n = p.put(boost::asio::buffer(in.data() + o.consumed, in.size() - o.consumed), ec);
    o.consumed += n;
    if (ec == http::error::need_more) break;
    if (ec) {
      o.error = true;
      return o;
    }
    if (n == 0) break;
  }
  if (p.is_done()) {
    o.done = true;
    o.body = p.get().body();
  }
  return o;
}

void Report(const char* what, const std::string& in, const Outcome& ours, const Outcome& beast) {
  fprintf(stderr,
          "%s\n  pasted: done=%d error=%d consumed=%zu body=%zu\n"
          "  beast:  done=%d error=%d consumed=%zu body=%zu\n",
          what, ours.done, ours.error, ours.consumed, ours.body.size(), beast.done, beast.error,
          beast.consumed, beast.body.size());
  (void)in;
  abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in;
  in.reserve(size + size / 8);
  size_t i = 0;
  while (i < size && (data[i] == '\r' || data[i] == '\n')) ++i;
  for (; i < size; ++i) {
    char c = static_cast<char>(data[i]);
    if (c == '\n' && (in.empty() || in.back() != '\r')) in.push_back('\r');
    in.push_back(c);
  }
  Outcome ours = Ours(in);
  Outcome beast = Beasts(in);
  if (ours.done && beast.error) Report("pasted accepted a request Beast refused", in, ours, beast);
  if (ours.done && beast.done) {
    if (ours.consumed != beast.consumed) Report("the request ends elsewhere", in, ours, beast);
    if (ours.body != beast.body) Report("the bodies differ", in, ours, beast);
  }
  // A complete request for Beast that pasted still waits on would hang a
  // client behind a proxy that agrees with Beast.
  if (beast.done && !ours.done && !ours.error && beast.body.size() <= kMaxBody) {
    Report("pasted waits for more of a request Beast finished", in, ours, beast);
  }
  return 0;
}
