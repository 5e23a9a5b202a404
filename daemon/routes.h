// The HTTP API: every route in one table (kRoutes in routes.cc), so one look
// shows the whole API. DESIGN.md "HTTP API" is the contract.
#ifndef PASTEBIN_DAEMON_ROUTES_H_
#define PASTEBIN_DAEMON_ROUTES_H_

#include <httplib.h>

#include <vector>

namespace pastebin {

class Daemon;

struct Route {
  const char* name;     // the route label in /metrics
  const char* method;   // "GET", "POST", "DELETE"
  const char* pattern;  // a regex matched against the whole decoded path
  void (*handle)(Daemon& daemon, const httplib::Request& req,
                 httplib::Response& res);
  const char* summary;
};

const std::vector<Route>& Routes();

// Registers every route on server, in table order (first match wins).
// Each handler first records its index in CurrentRouteIndex().
void RegisterRoutes(httplib::Server& server, Daemon& daemon);

// The index in Routes() of the route the request being answered on this
// thread matched; -1 before routing or when none matched.
int& CurrentRouteIndex();

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_ROUTES_H_
