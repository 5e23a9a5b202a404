// Handlers for the ways other pastebins' clients create and fetch pastes:
// uploads to / (curl raw bodies, 0x0/rustypaste-style multipart files,
// sprunge forms, pastebinit and HTML forms) and the haste-server API. Thin
// adapters: each decodes its protocol, then goes through the same rate
// limit and PasteService::Create as the JSON API, and answers in its
// protocol's own way (a URL line, {"key"}, text or JSON errors).
#ifndef PASTEBIN_DAEMON_WEB_COMPAT_HANDLERS_H_
#define PASTEBIN_DAEMON_WEB_COMPAT_HANDLERS_H_

#include "daemon/http/http_message.h"

namespace pastebin {

class Daemon;

// POST /: the body is the paste, byte for byte, whatever its type says
// (curl --data-binary labels raw bytes application/x-www-form-urlencoded);
// only multipart/form-data (curl -F) is read as a form, whose field named
// file, sprunge, content, paste or text is the paste. An optional expire
// (form field or ?expire=) takes pastebin durations. Answers 201 with the
// URL and a newline, the delete token in X-Delete-Token; a browser
// (Accept: text/html) gets a page with the link and the delete token.
void CreateFromUpload(Daemon& d, const HttpRequest& req, HttpResponse& res);

// POST /form: the same for forms, url-encoded (the web page, pastebinit,
// curl --data-urlencode) or multipart; other types get 400.
void CreateFromForm(Daemon& d, const HttpRequest& req, HttpResponse& res);
// POST /form/delete: shortlink and token from a url-encoded form (the
// created page's delete button); a page for a browser, a line otherwise.
void DeleteFromForm(Daemon& d, const HttpRequest& req, HttpResponse& res);

// POST /documents (haste-server): the body is the paste; 200 {"key": X}.
void HasteCreate(Daemon& d, const HttpRequest& req, HttpResponse& res);
// GET /documents/X: 200 {"data", "key"}; 404 {"message"}.
void HasteGet(Daemon& d, const HttpRequest& req, HttpResponse& res);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_WEB_COMPAT_HANDLERS_H_
