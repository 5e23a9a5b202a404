// The HTTP API: every route in one table (kRoutes in routes.cc), so one look
// shows the whole API. DESIGN.md "HTTP API" is the contract.
#ifndef PASTEBIN_DAEMON_ROUTES_H_
#define PASTEBIN_DAEMON_ROUTES_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "daemon/http/http_message.h"

namespace pastebin {

class Daemon;

// What a route accepts as a request body; Daemon::BodyLimit turns it into
// bytes from the settings.
enum class BodyKind {
  kNone,    // no body at all
  kSmall,   // a small JSON request (a URL)
  kRaw,     // the paste itself, byte for byte
  kJson,    // the paste inside JSON
  kUpload,  // POST / and /form: raw, multipart or url-encoded, by Content-Type
};

struct Route {
  const char* name;    // the route label in /metrics
  const char* method;  // "GET" routes answer HEAD too
  const char* path;    // an exact path, or "/{link}" for one segment
  void (*handle)(Daemon& daemon, const HttpRequest& req, HttpResponse& res);
  // Whether handling may block (syncs, waiting): then it runs on the worker
  // pool instead of the event loop. nullptr: it runs on the loop, and sets
  // res.would_block to move to a worker if it finds it must wait for the
  // disk (reads of pastes that are neither cached nor in the page cache).
  bool (*may_block)(Daemon& daemon, const HttpRequest& req);
  const char* summary;
  BodyKind body = BodyKind::kNone;
};

const std::vector<Route>& Routes();

// Answers with status.http_status() and {"error": {"code", "message"}}.
void SendError(HttpResponse& res, const Status& status);
// Answers with a JSON body.
void SendJson(HttpResponse& res, int http_status, std::string json);

// The index of the route for req's method and path, filling req.route and
// req.path_params; -1 if none. Then *allowed lists the methods the path
// does answer ("" when the path is unknown).
int MatchRoute(HttpRequest& req, std::string* allowed);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_ROUTES_H_
