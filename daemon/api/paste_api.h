// PasteApi: the JSON API of pastes and short links (/api/v1/paste,
// /api/v1/link), the chapter's contract: create, read, delete. Errors are
// pasted's JSON (Dialect::kJson). Built once with only what it uses.
#ifndef PASTEBIN_DAEMON_API_PASTE_API_H_
#define PASTEBIN_DAEMON_API_PASTE_API_H_

#include "daemon/front/links.h"
#include "daemon/front/paste_answer.h"
#include "daemon/front/paste_reading.h"
#include "daemon/http/http_message.h"
#include "daemon/paste_service.h"

namespace pastebin {

class PasteApi {
 public:
  // None owned; all must outlive the group.
  PasteApi(PasteService& pastes, const PasteReading& reading, const Links& links,
           Freshness freshness)
      : pastes_(pastes), reading_(reading), links_(links), freshness_(freshness) {}

  // POST /api/v1/paste: {"paste_contents", "expiration_length_in_minutes",
  // "burn_after_reading", "language"} → 201 with the link and its delete
  // token. On the event loop a small paste is queued for the next group
  // commit and answered when it is durable (res.deferred).
  void CreatePaste(const HttpRequest& req, HttpResponse& res);
  // Whether CreatePaste must run on a worker: a body too large to commit
  // inline is written to a file first.
  bool CreatePasteBlocks(const HttpRequest& req) const;
  // GET /api/v1/paste?shortlink=X: the paste as JSON (a visit).
  void GetPaste(const HttpRequest& req, HttpResponse& res);
  // DELETE /api/v1/paste?shortlink=X with X-Delete-Token: 204.
  void DeletePaste(const HttpRequest& req, HttpResponse& res);
  // POST /api/v1/link: {"url", "expiration_length_in_minutes"} → 201.
  void CreateLink(const HttpRequest& req, HttpResponse& res);
  // GET /api/v1/link?shortlink=X: the short link as JSON.
  void GetLink(const HttpRequest& req, HttpResponse& res);

 private:
  // 201 with the new paste or short link, as PasteCreated.
  void SendCreated(const HttpRequest& req, const NewPaste& created, HttpResponse& res) const;

  PasteService& pastes_;
  const PasteReading& reading_;
  const Links& links_;
  Freshness freshness_;
};

// The ?shortlink= parameter, or nullopt after a 400 (in JSON) naming the
// route's usage.
std::optional<std::string> ShortlinkParam(const HttpRequest& req, HttpResponse& res);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_API_PASTE_API_H_
