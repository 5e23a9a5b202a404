// Route: one row of the route table (routes.cc) that the front desk serves
// from: where it is (method and path pattern, see http/router.h), what it
// takes (its body), how it tells errors, which client limit guards it,
// where it runs, and the handler it is bound to — a member of a handler
// group, built at start-up with only what it uses.
#ifndef PASTEBIN_DAEMON_FRONT_ROUTE_H_
#define PASTEBIN_DAEMON_FRONT_ROUTE_H_

#include <functional>

#include "daemon/front/answer.h"
#include "daemon/http/http_message.h"

namespace pastebin {

// What a route accepts as a request body; the front desk turns it into
// bytes from the limits (FrontDeskLimits).
enum class BodyKind {
  kNone,    // no body at all
  kSmall,   // a small request (a URL, a form with a link and a token)
  kRaw,     // the paste itself, byte for byte
  kJson,    // the paste inside JSON
  kUpload,  // POST / and /form: raw, multipart or url-encoded, by Content-Type
};

// Which client limit (client_limit.h) the front desk applies to a route.
enum class Gate {
  kNone,
  kCreates,  // makes a paste or link: the write gate takes one first
  kLooksUp,  // looks a paste up by its link: a client past its misses gets
             // 429, and a 404 here costs it one
};

using Handler = std::function<void(const HttpRequest& req, HttpResponse& res)>;
// Whether handling req may block (syncs, waiting): then it runs on the
// worker pool instead of the event loop.
using BlockingTest = std::function<bool(const HttpRequest& req)>;

struct Route {
  const char* name;    // its label in /metrics
  const char* method;  // "GET" routes answer HEAD too
  const char* path;    // an exact path, or "/{link}" for one segment
  Handler handle;
  // Empty: it runs on the event loop, and sets res.would_block to move to
  // a reader if it finds it must wait for the disk (reads of pastes that
  // are not cached).
  BlockingTest may_block;
  const char* summary;
  BodyKind body = BodyKind::kNone;
  Dialect dialect = Dialect::kJson;
  Gate gate = Gate::kNone;
};

// For rows that always block.
inline bool AlwaysBlocks(const HttpRequest&) { return true; }

// A handler bound to a member of a handler group.
template <typename Group>
Handler On(Group& group, void (Group::*method)(const HttpRequest&, HttpResponse&)) {
  return [&group, method](const HttpRequest& req, HttpResponse& res) { (group.*method)(req, res); };
}

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_FRONT_ROUTE_H_
