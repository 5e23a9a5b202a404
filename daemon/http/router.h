// Router: finds which row of a route table a request's method and path
// name. Generic: it knows patterns, not what the routes do. A pattern is an
// exact path or has "{link}" segments, each matching one non-empty segment
// and captured; rows are tried in order, so put specific paths first. A
// GET row answers HEAD too.
#ifndef PASTEBIN_DAEMON_HTTP_ROUTER_H_
#define PASTEBIN_DAEMON_HTTP_ROUTER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pastebin {

// Views of strings that outlive the router (literals): their lengths are
// taken once, not on every request the router matches against them.
struct RoutePattern {
  std::string_view method;  // "GET", "POST", ...
  std::string_view path;    // "/api/v1/paste", "/raw/{link}"
};

class Router {
 public:
  explicit Router(std::vector<RoutePattern> patterns);

  // The index of the first row for method and path, with its {link}
  // segments in *params; -1 if none. Thread-safe.
  int Match(std::string_view method, std::string_view path, std::vector<std::string>* params) const;

  // The methods rows take for path ("POST, GET, HEAD, DELETE"), or "" when
  // no row has it: what a 405 says, after Match found nothing.
  std::string Allowed(std::string_view path) const;

  // How many times Match ran (tests check a request is matched once).
  uint64_t matches() const { return matches_.load(std::memory_order_relaxed); }

 private:
  std::vector<RoutePattern> patterns_;
  mutable std::atomic<uint64_t> matches_{0};
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_ROUTER_H_
