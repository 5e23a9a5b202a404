// Answers and errors, told once where they are made. Every route tells its
// errors in one dialect (its row's): pasted's JSON, a text line for the
// curl-style front ends, haste-server's JSON; a browser (Accept names
// text/html) gets an HTML page instead, whatever the dialect. The front
// desk tells its own refusals the same way, so nothing is ever written in
// one form and re-parsed into another.
#ifndef PASTEBIN_DAEMON_FRONT_ANSWER_H_
#define PASTEBIN_DAEMON_FRONT_ANSWER_H_

#include <string>

#include "common/status.h"
#include "daemon/http/http_message.h"

namespace pastebin {

enum class Dialect {
  kJson,   // {"error": {"code", "message"}}, application/json
  kText,   // "error: MESSAGE\n", text/plain
  kHaste,  // {"message": MESSAGE}, application/json (haste-server)
  // "Bad API request, MESSAGE", text/plain, no newline (pastebin.com's
  // API: its clients take any other body for a paste's URL).
  kPastebinCom,
};

// True when a browser asks (its Accept names text/html).
bool AcceptsHtml(const HttpRequest& req);
// True when the client asks for HTML and did not ask for the raw bytes
// with ?raw.
bool WantsHtml(const HttpRequest& req);

// Answers with a JSON body.
void SendJson(HttpResponse& res, int http_status, std::string json);

// Answers status as an error in dialect (or as a page for a browser), with
// status.http_status(). A 5xx is first made public (public_error.h: the
// details logged under a request id); a 503 carries Retry-After (2 s
// unless res has one).
void SendError(const HttpRequest& req, HttpResponse& res, const Status& status,
               Dialect dialect = Dialect::kJson);

// The same with an HTTP status of its own (405, 408, 416, 431, ...) and the
// server's own words, sent as they are (nothing internal to hide).
void SendErrorAs(const HttpRequest& req, HttpResponse& res, int http_status,
                 const std::string& message, Dialect dialect);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_FRONT_ANSWER_H_
