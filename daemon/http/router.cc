#include "daemon/http/router.h"

namespace pastebin {
namespace {

// Segments a pattern may capture; more would be a table error.
constexpr size_t kMaxParams = 4;

// True when path matches pattern segment by segment; the captured
// segments go to params (at most kMaxParams).
bool PathMatches(std::string_view pattern, std::string_view path, std::string_view* params,
                 size_t* count) {
  *count = 0;
  for (;;) {
    if (pattern.empty() || path.empty()) return pattern.empty() && path.empty();
    if (pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    size_t ps = pattern.find('/'), qs = path.find('/');
    std::string_view want = pattern.substr(0, ps), got = path.substr(0, qs);
    if (want == "{link}") {
      if (got.empty() || *count == kMaxParams) return false;
      params[(*count)++] = got;
    } else if (want != got) {
      return false;
    }
    pattern = ps == std::string_view::npos ? std::string_view() : pattern.substr(ps);
    path = qs == std::string_view::npos ? std::string_view() : path.substr(qs);
  }
}

}  // namespace

Router::Router(std::vector<RoutePattern> patterns) : patterns_(std::move(patterns)) {}

int Router::Match(std::string_view method, std::string_view path,
                  std::vector<std::string>* params) const {
  matches_.fetch_add(1, std::memory_order_relaxed);
  if (method == "HEAD") method = "GET";
  std::string_view found[kMaxParams];
  size_t count = 0;
  for (size_t i = 0; i < patterns_.size(); ++i) {
    if (method != patterns_[i].method) continue;
    if (!PathMatches(patterns_[i].path, path, found, &count)) continue;
    params->assign(found, found + count);
    return static_cast<int>(i);
  }
  return -1;
}

std::string Router::Allowed(std::string_view path) const {
  std::string allowed;
  std::string_view found[kMaxParams];
  size_t count = 0;
  for (const RoutePattern& p : patterns_) {
    if (!PathMatches(p.path, path, found, &count)) continue;
    if (allowed.find(p.method) != std::string::npos) continue;
    if (!allowed.empty()) allowed += ", ";
    allowed += p.method;
    if (p.method == "GET") allowed += ", HEAD";
  }
  return allowed;
}

}  // namespace pastebin
