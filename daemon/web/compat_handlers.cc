#include "daemon/web/compat_handlers.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "common/duration.h"
#include "common/shortlink.h"
#include "common/strings.h"
#include "daemon/daemon.h"
#include "daemon/http/form_data.h"
#include "daemon/public_error.h"
#include "daemon/web/web_pages.h"

namespace pastebin {
namespace {

using nlohmann::json;

// Field names that carry the paste, in the order they are looked for.
constexpr const char* kContentFields[] = {"file", "sprunge", "content", "paste", "text"};

void TextError(HttpResponse& res, const Status& status) {
  Status s = PublicError(status);
  res.status = s.http_status();
  res.SetContent("error: " + s.message() + "\n", "text/plain; charset=utf-8");
}

void HasteError(HttpResponse& res, const Status& status) {
  Status s = PublicError(status);
  res.status = s.http_status();
  res.SetContent(
      json{{"message", s.message()}}.dump(-1, ' ', false, json::error_handler_t::replace),
      "application/json");
}

// The rate limit, then the shared write path. On failure the Status is the
// answer to give, in the caller's protocol.
Result<NewPaste> Store(Daemon& d, const HttpRequest& req, const std::string& contents,
                       std::optional<int64_t> minutes, HttpResponse& res,
                       const PasteOptions& options = {}) {
  if (int64_t wait = d.TakeWriteToken(req)) {
    res.SetHeader("Retry-After", std::to_string(wait));
    return Status(Code::kRateLimited, "too many pastes from " + d.ClientOf(req) +
                                          "; try again in " + std::to_string(wait) +
                                          (wait == 1 ? " second" : " seconds"));
  }
  return d.pastes().Create(contents, minutes, options);
}

}  // namespace

namespace {

// Stores the paste a form's fields hold (or, when raw is set, those bytes)
// and answers as CreateFromUpload documents.
void CreateFrom(Daemon& d, const HttpRequest& req, std::vector<FormField> fields,
                const std::string* raw, HttpResponse& res) {
  std::optional<std::string> contents;
  std::optional<std::string> expire;
  if (req.HasParam("expire")) expire = req.Param("expire");
  for (const char* name : kContentFields) {
    for (auto& f : fields) {
      if (!contents && f.name == name) contents = std::move(f.value);
    }
  }
  // burn: a form's checkbox ("on"), or burn=1/yes/true in the form or
  // the query (rustypaste's oneshot, for curl).
  std::optional<std::string> burn, language;
  if (req.HasParam("burn")) burn = req.Param("burn");
  if (req.HasParam("lang")) language = req.Param("lang");
  for (const auto& f : fields) {
    if (f.name == "expire" || f.name == "expires") expire = f.value;
    if (f.name == "burn") burn = f.value;
    if (f.name == "lang" || f.name == "language") language = f.value;
  }
  bool burns = false;
  if (burn) {
    std::optional<bool> on = burn->empty() ? std::optional<bool>(true) : ParseBool(*burn);
    if (!on) return TextError(res, InvalidArgument("burn takes yes or no (or 1/0, on/off)"));
    burns = *on;
  }
  if (raw) contents = *raw;
  if (!contents) {
    return TextError(res,
                     InvalidArgument("no paste in this form: send a field named file, sprunge, "
                                     "content, paste or text"));
  }
  std::optional<int64_t> minutes;
  if (expire && !expire->empty()) {  // a form's empty choice: the default
    auto parsed = ParseDuration(*expire);
    if (!parsed.ok()) return TextError(res, parsed.status());
    minutes = *parsed;
  }
  PasteOptions options;
  options.burn_after_reading = burns;
  options.language = language.value_or("");
  if (options.language == "auto") options.language.clear();  // the form's "detect"
  auto created = Store(d, req, *contents, minutes, res, options);
  if (!created.ok()) return TextError(res, created.status());
  std::string url = d.LinkBase(req) + "/" + created->record.shortlink;
  res.SetHeader("Location", url);
  res.SetHeader("X-Delete-Token", created->delete_token);
  if (AcceptsHtml(req)) {
    // A browser's form: the link, and the delete token it will not see
    // again. Never kept by a cache, whatever it holds.
    StoredPaste shown;
    shown.record = created->record;
    shown.contents = *contents;
    res.status = 201;
    res.SetHeader("Cache-Control", "no-store");
    SetPageHeaders(res);
    res.SetContent(CreatedPage(shown, url, created->delete_token), "text/html; charset=utf-8");
    return;
  }
  res.status = 201;
  res.SetContent(url + "\n", "text/plain; charset=utf-8");
}

}  // namespace

void CreateFromUpload(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto boundary = MultipartBoundary(req.Header("Content-Type"));
  if (!boundary) return CreateFrom(d, req, {}, &req.body, res);  // raw, whatever it looks like
  auto parts = ParseMultipart(req.body, *boundary);
  if (!parts) return TextError(res, InvalidArgument("malformed multipart/form-data body"));
  CreateFrom(d, req, std::move(*parts), nullptr, res);
}

void CreateFromForm(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  std::string_view type = req.Header("Content-Type");
  if (auto boundary = MultipartBoundary(type)) {
    auto parts = ParseMultipart(req.body, *boundary);
    if (!parts) return TextError(res, InvalidArgument("malformed multipart/form-data body"));
    return CreateFrom(d, req, std::move(*parts), nullptr, res);
  }
  if (!IsMediaType(type, "application/x-www-form-urlencoded")) {
    return TextError(res, InvalidArgument("POST /form takes application/x-www-form-urlencoded or "
                                          "multipart/form-data; send raw bytes to POST / instead"));
  }
  CreateFrom(d, req, ParseUrlEncoded(req.body), nullptr, res);
}

void DeleteFromForm(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  if (!IsMediaType(req.Header("Content-Type"), "application/x-www-form-urlencoded")) {
    return TextError(res, InvalidArgument("POST /form/delete takes a url-encoded form with "
                                          "shortlink and token"));
  }
  std::string shortlink, token;
  for (const auto& f : ParseUrlEncoded(req.body)) {
    if (f.name == "shortlink") shortlink = f.value;
    if (f.name == "token") token = f.value;
  }
  if (!IsValidShortlink(shortlink)) {
    return TextError(res, InvalidArgument("no paste named in this form: send its shortlink"));
  }
  Status s = d.pastes().Delete(shortlink, token);
  if (!s.ok()) return TextError(res, s);
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  if (AcceptsHtml(req)) {
    SetPageHeaders(res);
    return res.SetContent(DeletedPage(shortlink), "text/html; charset=utf-8");
  }
  res.SetContent("deleted " + shortlink + "\n", "text/plain; charset=utf-8");
}

void HasteCreate(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto created = Store(d, req, req.body, std::nullopt, res);
  if (!created.ok()) return HasteError(res, created.status());
  res.SetHeader("X-Delete-Token", created->delete_token);
  res.status = 200;
  res.SetContent(json{{"key", created->record.shortlink}}.dump(), "application/json");
}

void HasteGet(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  auto paste = d.pastes().Get(req.path_params[0], req.may_block);
  if (paste.status().code() == Code::kWouldBlock) {
    res.would_block = true;
    return;
  }
  if (!paste.ok()) {
    return HasteError(res, paste.status());
  }
  std::shared_ptr<const StoredPaste> shown = *paste;
  if (shown->record.burn_after_reading) {  // its one reading, now
    if (!req.may_block) {
      res.would_block = true;
      return;
    }
    auto taken = d.pastes().Burn(shown->record.shortlink);
    if (!taken.ok()) return HasteError(res, taken.status());
    shown = *taken;
    res.SetHeader("Cache-Control", "no-store");
  }
  res.status = 200;
  res.SetContent(json{{"data", shown->contents}, {"key", shown->record.shortlink}}.dump(),
                 "application/json");
}

}  // namespace pastebin
