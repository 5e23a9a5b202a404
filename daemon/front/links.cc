#include "daemon/front/links.h"

namespace pastebin {
namespace {

bool IsPlausibleHost(const std::string& host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string HostPort(const std::string& host, int port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Links::Base(const HttpRequest& req) const {
  if (!public_url_.empty()) return public_url_;
  if (IsPlausibleHost(req.authority)) return scheme_ + "://" + req.authority;
  return scheme_ + "://" + HostPort(listen_host_, port_);
}

std::string Links::OverTcp(const std::string& local_addr, std::string_view shortlink) const {
  std::string base =
      public_url_.empty() ? scheme_ + "://" + HostPort(local_addr, port_) : public_url_;
  return base + "/" + std::string(shortlink);
}

}  // namespace pastebin
