#include "daemon/api/paste_api.h"

#include "common/text.h"
#include "common/time_format.h"
#include "common/wire.h"
#include "daemon/front/answer.h"
#include "daemon/http/http_caching.h"

namespace pastebin {
namespace {

// RFC 3339, or null for never (create answers and links; the chapter's
// GET /api/v1/paste keeps FormatUtc).
std::optional<std::string> FormatOptionalTime(const std::optional<int64_t>& t) {
  if (!t) return std::nullopt;
  return FormatRfc3339(*t);
}

PasteOptions OptionsOf(const CreatePasteRequest& req) {
  return PasteOptions{req.burn_after_reading, req.language};
}

}  // namespace

std::optional<std::string> ShortlinkParam(const HttpRequest& req, HttpResponse& res) {
  if (req.HasParam("shortlink")) return req.Param("shortlink");
  SendError(req, res,
            InvalidArgument("missing query parameter 'shortlink' (e.g. " + req.method + " " +
                            req.path + "?shortlink=Ab3dE9x)"));
  return std::nullopt;
}

void PasteApi::SendCreated(const HttpRequest& req, const NewPaste& created,
                           HttpResponse& res) const {
  const PasteRecord& r = created.record;
  PasteCreated out;
  out.shortlink = r.shortlink;
  out.url = links_.Of(req, r.shortlink);
  out.target = r.link_target;
  out.created_at = FormatRfc3339(r.created_at);
  out.expires_at = FormatOptionalTime(r.expires_at);
  out.expiration_length_in_minutes = r.expiration_length_in_minutes;
  out.delete_token = created.delete_token;
  res.SetHeader("Location", out.url);
  SendJson(res, 201, ToJson(out));
}

void PasteApi::CreatePaste(const HttpRequest& req, HttpResponse& res) {
  Status text = CheckText(req.body, "request body");
  if (!text.ok()) return SendError(req, res, text);
  auto parsed = ParseCreatePasteRequest(req.body);
  if (!parsed.ok()) return SendError(req, res, parsed.status());
  if (!req.may_block) {
    // On the event loop: queue the paste for the next group commit and go
    // on serving; the answer is built here when the commit is done.
    Status queued = pastes_.CreateAsync(
        parsed->paste_contents, parsed->expiration_length_in_minutes, OptionsOf(*parsed),
        [this, answer = req.answer_later](Result<NewPaste> created) {
          answer([this, created = std::move(created)](const HttpRequest& req, HttpResponse& res) {
            if (!created.ok()) return SendError(req, res, created.status());
            SendCreated(req, *created, res);
          });
        });
    if (queued.code() == Code::kWouldBlock) {
      res.would_block = true;  // a body for a file: a worker writes it
      return;
    }
    if (!queued.ok()) return SendError(req, res, queued);
    res.deferred = true;
    return;
  }
  auto created = pastes_.Create(parsed->paste_contents, parsed->expiration_length_in_minutes,
                                OptionsOf(*parsed));
  if (!created.ok()) return SendError(req, res, created.status());
  SendCreated(req, *created, res);
}

bool PasteApi::CreatePasteBlocks(const HttpRequest& req) const {
  // A JSON paste small enough to be inline is taken on the event loop; a
  // larger one goes to a worker, which writes its file.
  return static_cast<int64_t>(req.body.size()) >= pastes_.limits().inline_max_bytes;
}

void PasteApi::GetPaste(const HttpRequest& req, HttpResponse& res) {
  auto shortlink = ShortlinkParam(req, res);
  if (!shortlink) return;
  auto paste = reading_.Find(req, *shortlink, Dialect::kJson, res);
  if (!paste) return;
  if (paste->record.link_target) {
    return SendError(req, res,
                     NotFound(*shortlink +
                              " is a short link, not a paste; see GET "
                              "/api/v1/link?shortlink=" +
                              *shortlink));
  }
  bool burns = paste->record.burn_after_reading;
  paste = reading_.TakeIfBurning(req, std::move(paste), BrowserBurn::kNotice, Dialect::kJson, res);
  if (!paste) return;
  const StoredPaste& p = *paste;
  std::string etag = EntityTag(p.record.content_hash, ".json");
  if (!burns && AnswerIfNotModified(req, p, etag, freshness_.Now(), res)) return;
  PasteView view;
  view.shortlink = p.record.shortlink;
  view.paste_contents = p.contents;
  // The chapter's answer keeps its "YYYY-MM-DD HH:MM:SS", both times alike.
  view.created_at = FormatUtc(p.record.created_at);
  if (p.record.expires_at) view.expires_at = FormatUtc(*p.record.expires_at);
  view.expiration_length_in_minutes = p.record.expiration_length_in_minutes;
  SendJson(res, 200, ToJson(view));
}

void PasteApi::DeletePaste(const HttpRequest& req, HttpResponse& res) {
  auto shortlink = ShortlinkParam(req, res);
  if (!shortlink) return;
  Status s = pastes_.Delete(*shortlink, std::string(req.Header("X-Delete-Token")));
  if (!s.ok()) return SendError(req, res, s);
  res.status = 204;
}

void PasteApi::CreateLink(const HttpRequest& req, HttpResponse& res) {
  auto parsed = ParseCreateLinkRequest(req.body);
  if (!parsed.ok()) return SendError(req, res, parsed.status());
  auto created = pastes_.CreateLink(parsed->url, parsed->expiration_length_in_minutes);
  if (!created.ok()) return SendError(req, res, created.status());
  SendCreated(req, *created, res);
}

void PasteApi::GetLink(const HttpRequest& req, HttpResponse& res) {
  auto shortlink = ShortlinkParam(req, res);
  if (!shortlink) return;
  auto link = reading_.Find(req, *shortlink, Dialect::kJson, res);
  if (!link) return;
  if (!link->record.link_target) {
    return SendError(req, res,
                     NotFound(*shortlink +
                              " is a paste, not a short link; see GET "
                              "/api/v1/paste?shortlink=" +
                              *shortlink));
  }
  LinkView view;
  view.shortlink = link->record.shortlink;
  view.target = *link->record.link_target;
  view.created_at = FormatRfc3339(link->record.created_at);
  view.expires_at = FormatOptionalTime(link->record.expires_at);
  view.expiration_length_in_minutes = link->record.expiration_length_in_minutes;
  SendJson(res, 200, ToJson(view));
}

}  // namespace pastebin
