// Links: the one builder of the links pasted hands out, over HTTP and over
// the raw TCP port alike. The base is public_url when it is set; else,
// over HTTP, the scheme and the host the request addressed (an
// absolute-form target's authority, else Host) when it is a plausible host
// name, and otherwise the listen address; over TCP, the address the client
// connected to with the HTTP port.
#ifndef PASTEBIN_DAEMON_FRONT_LINKS_H_
#define PASTEBIN_DAEMON_FRONT_LINKS_H_

#include <string>
#include <string_view>

#include "daemon/http/http_message.h"

namespace pastebin {

class Links {
 public:
  // scheme: "https" when serving TLS, else "http"; listen_host and port:
  // where HTTP was bound (port 0 for a Unix socket).
  Links(std::string public_url, std::string scheme, std::string listen_host, int port)
      : public_url_(std::move(public_url)),
        scheme_(std::move(scheme)),
        listen_host_(std::move(listen_host)),
        port_(port) {}

  // True without public_url: links follow the Host each request names, so
  // an answer holding them is that client's alone (CachePolicy::shared).
  bool FollowHost() const { return public_url_.empty(); }

  // "https://paste.example.org" for req (no trailing slash).
  std::string Base(const HttpRequest& req) const;
  // The link to shortlink for req.
  std::string Of(const HttpRequest& req, std::string_view shortlink) const {
    return Base(req) + "/" + std::string(shortlink);
  }
  // The link to shortlink for a client of the TCP port that connected to
  // local_addr.
  std::string OverTcp(const std::string& local_addr, std::string_view shortlink) const;

 private:
  std::string public_url_;
  std::string scheme_;
  std::string listen_host_;
  int port_;
};

// "host:port", with brackets around an IPv6 host.
std::string HostPort(const std::string& host, int port);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_FRONT_LINKS_H_
