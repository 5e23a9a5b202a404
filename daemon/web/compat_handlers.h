// CompatHandlers: the ways other pastebins' clients create and fetch
// pastes: uploads to / (curl raw bodies, 0x0/rustypaste-style multipart
// files, sprunge forms), /form (pastebinit and the web form), the form's
// delete button, and the haste-server API. Thin adapters: each decodes its
// protocol, goes through the same PasteService as the JSON API (the front
// desk has applied the write gate to every creating route), and answers in
// its protocol's own way — a URL line and text errors (Dialect::kText), or
// haste's {"key"} and {"message"} (Dialect::kHaste); a browser gets pages.
#ifndef PASTEBIN_DAEMON_WEB_COMPAT_HANDLERS_H_
#define PASTEBIN_DAEMON_WEB_COMPAT_HANDLERS_H_

#include <string>
#include <vector>

#include "daemon/front/links.h"
#include "daemon/front/paste_reading.h"
#include "daemon/http/form_data.h"
#include "daemon/http/http_message.h"
#include "daemon/paste_service.h"

namespace pastebin {

class CompatHandlers {
 public:
  // None owned; all must outlive the group.
  CompatHandlers(PasteService& pastes, const PasteReading& reading, const Links& links)
      : pastes_(pastes), reading_(reading), links_(links) {}

  // POST /: the body is the paste, byte for byte, whatever its type says
  // (curl --data-binary labels raw bytes application/x-www-form-urlencoded);
  // only multipart/form-data (curl -F) is read as a form, whose field named
  // file, sprunge, content, paste or text is the paste. An optional expire
  // (form field or ?expire=) takes pastebin durations. Answers 201 with the
  // URL and a newline, the delete token in X-Delete-Token; a browser
  // (Accept: text/html) is sent on (303) to the created page,
  // /created/X#token=T, so that a reload posts nothing again.
  void Upload(const HttpRequest& req, HttpResponse& res);
  // POST /form: the same for forms, url-encoded (the web page, pastebinit,
  // curl --data-urlencode) or multipart; other types get 400.
  void Form(const HttpRequest& req, HttpResponse& res);
  // POST /form/delete: shortlink and token from a url-encoded form (the
  // created page's delete button); a page for a browser, a line otherwise.
  void FormDelete(const HttpRequest& req, HttpResponse& res);
  // POST /api/v2/ (dpaste.com's API, as pastebinit and wgetpaste send it):
  // content, syntax (the language), expiry_days (1 to 365), title and
  // poster (ignored), url-encoded or multipart; 201 with the URL and a
  // newline, and the URL in Location.
  void DpasteCreate(const HttpRequest& req, HttpResponse& res);
  // POST /api/create (Stikked's API, pastebinit's paste.centos.org config):
  // text, lang, expire (minutes; 0 never), title, name, private (ignored);
  // 200 with the URL and a newline.
  void StikkedCreate(const HttpRequest& req, HttpResponse& res);
  // POST /submit.php (pastebinit's p.defau.lt config): a url-encoded form
  // with code (and lang); 303 to the paste, which pastebinit follows.
  void SubmitPhp(const HttpRequest& req, HttpResponse& res);
  // POST /json/?method=pastes.newPaste (LodgeIt's JSON-RPC, pastebinit's
  // paste.opendev.org config): {"code", "language"}; 200 {"data": KEY,
  // "error": null} spaced as Python writes it (pastebinit reads it with a
  // regular expression), the paste then at /show/KEY/.
  void LodgeitNewPaste(const HttpRequest& req, HttpResponse& res);
  // POST /documents (haste-server): the body is the paste; 200 {"key": X}.
  void HasteCreate(const HttpRequest& req, HttpResponse& res);
  // GET /documents/X: 200 {"data", "key"}; 404 {"message"}.
  void HasteGet(const HttpRequest& req, HttpResponse& res);

 private:
  // Stores the paste a form's fields hold (or, when raw is set, those
  // bytes) and answers as Upload documents.
  void CreateFrom(const HttpRequest& req, std::vector<FormField> fields, const std::string* raw,
                  HttpResponse& res);
  // POST / from pastebinit (User-Agent "Pastebinit ...") with a url-encoded
  // form in one of its services' shapes: sprunge's (answered with the URL)
  // and paste.ubuntu.com's, paste.debian.net's, paste2.org's and
  // paste.ubuntu.org.cn's (answered with a redirect to the paste, which
  // pastebinit follows and prints).
  void PastebinitForm(const HttpRequest& req, const std::vector<FormField>& fields,
                      HttpResponse& res);
  // Creates the paste and answers with its URL and a newline (Location
  // too), as status; errors as text.
  void CreateAndAnswer(const HttpRequest& req, const std::string& contents,
                       std::optional<int64_t> minutes, const PasteOptions& options, int status,
                       HttpResponse& res);

  PasteService& pastes_;
  const PasteReading& reading_;
  const Links& links_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_WEB_COMPAT_HANDLERS_H_
