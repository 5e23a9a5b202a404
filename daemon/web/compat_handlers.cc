#include "daemon/web/compat_handlers.h"

#include <nlohmann/json.hpp>

#include "common/duration.h"
#include "common/shortlink.h"
#include "common/strings.h"
#include "daemon/front/answer.h"
#include "daemon/pages/pages.h"
#include "daemon/web/page_routes.h"

namespace pastebin {
namespace {

using nlohmann::json;

// Field names that carry the paste, in the order they are looked for.
constexpr const char* kContentFields[] = {"file", "sprunge", "content", "paste", "text"};

Status TooManyFields() {
  return InvalidArgument("a form has at most " + std::to_string(kMaxFormFields) +
                         " fields; a paste needs only its content (and expire, lang, burn)");
}

// A multipart body's parts, or why not (malformed, or too many parts).
Result<std::vector<FormField>> PartsOf(const HttpRequest& req, const std::string& boundary) {
  auto parts = ParseMultipart(req.body, boundary);
  if (parts) return std::move(*parts);
  if (!ParseMultipart(req.body, boundary, SIZE_MAX)) {
    return InvalidArgument("malformed multipart/form-data body");
  }
  return TooManyFields();
}

}  // namespace

void CompatHandlers::CreateFrom(const HttpRequest& req, std::vector<FormField> fields,
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
    if (!on) {
      return SendError(req, res, InvalidArgument("burn takes yes or no (or 1/0, on/off)"),
                       Dialect::kText);
    }
    burns = *on;
  }
  if (raw) contents = *raw;
  if (!contents) {
    return SendError(req, res,
                     InvalidArgument("no paste in this form: send a field named file, sprunge, "
                                     "content, paste or text"),
                     Dialect::kText);
  }
  std::optional<int64_t> minutes;
  if (expire && !expire->empty()) {  // a form's empty choice: the default
    auto parsed = ParseDuration(*expire);
    if (!parsed.ok()) return SendError(req, res, parsed.status(), Dialect::kText);
    minutes = *parsed;
  }
  PasteOptions options;
  options.burn_after_reading = burns;
  options.language = language.value_or("");
  if (options.language == "auto") options.language.clear();  // the form's "detect"
  auto created = pastes_.Create(*contents, minutes, options);
  if (!created.ok()) return SendError(req, res, created.status(), Dialect::kText);
  std::string url = links_.Of(req, created->record.shortlink);
  res.SetHeader("Location", url);
  res.SetHeader("X-Delete-Token", created->delete_token);
  res.status = 201;
  if (AcceptsHtml(req)) {
    // A browser's form: the link, and the delete token it will not see
    // again. Never kept by a cache, whatever it holds. Without room for
    // the page, the link alone (the paste is stored).
    MemoryCharge charge(pages_);
    if (!ChargeForPage(charge, *contents).ok()) {
      res.SetContent(url + "\n", "text/plain; charset=utf-8");
      return;
    }
    StoredPaste shown;
    shown.record = created->record;
    shown.contents = *contents;
    res.SetHeader("Cache-Control", "no-store");
    SetPageHeaders(res);
    res.SetContent(CreatedPage(shown, url, created->delete_token), "text/html; charset=utf-8");
    return;
  }
  res.SetContent(url + "\n", "text/plain; charset=utf-8");
}

void CompatHandlers::Upload(const HttpRequest& req, HttpResponse& res) {
  auto boundary = MultipartBoundary(req.Header("Content-Type"));
  if (!boundary) return CreateFrom(req, {}, &req.body, res);  // raw, whatever it looks like
  auto parts = PartsOf(req, *boundary);
  if (!parts.ok()) return SendError(req, res, parts.status(), Dialect::kText);
  CreateFrom(req, std::move(parts).value(), nullptr, res);
}

void CompatHandlers::Form(const HttpRequest& req, HttpResponse& res) {
  std::string_view type = req.Header("Content-Type");
  if (auto boundary = MultipartBoundary(type)) {
    auto parts = PartsOf(req, *boundary);
    if (!parts.ok()) return SendError(req, res, parts.status(), Dialect::kText);
    return CreateFrom(req, std::move(parts).value(), nullptr, res);
  }
  if (!IsMediaType(type, "application/x-www-form-urlencoded")) {
    return SendError(req, res,
                     InvalidArgument("POST /form takes application/x-www-form-urlencoded or "
                                     "multipart/form-data; send raw bytes to POST / instead"),
                     Dialect::kText);
  }
  auto fields = ParseUrlEncoded(req.body);
  if (!fields) return SendError(req, res, TooManyFields(), Dialect::kText);
  CreateFrom(req, std::move(*fields), nullptr, res);
}

void CompatHandlers::FormDelete(const HttpRequest& req, HttpResponse& res) {
  if (!IsMediaType(req.Header("Content-Type"), "application/x-www-form-urlencoded")) {
    return SendError(req, res,
                     InvalidArgument("POST /form/delete takes a url-encoded form with "
                                     "shortlink and token"),
                     Dialect::kText);
  }
  auto fields = ParseUrlEncoded(req.body);
  if (!fields) return SendError(req, res, TooManyFields(), Dialect::kText);
  std::string shortlink, token;
  for (const auto& f : *fields) {
    if (f.name == "shortlink") shortlink = f.value;
    if (f.name == "token") token = f.value;
  }
  if (!IsValidShortlink(shortlink)) {
    return SendError(req, res, InvalidArgument("no paste named in this form: send its shortlink"),
                     Dialect::kText);
  }
  Status s = pastes_.Delete(shortlink, token);
  if (!s.ok()) return SendError(req, res, s, Dialect::kText);
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  if (AcceptsHtml(req)) {
    SetPageHeaders(res);
    return res.SetContent(DeletedPage(shortlink), "text/html; charset=utf-8");
  }
  res.SetContent("deleted " + shortlink + "\n", "text/plain; charset=utf-8");
}

void CompatHandlers::HasteCreate(const HttpRequest& req, HttpResponse& res) {
  auto created = pastes_.Create(req.body, std::nullopt);
  if (!created.ok()) return SendError(req, res, created.status(), Dialect::kHaste);
  res.SetHeader("X-Delete-Token", created->delete_token);
  res.status = 200;
  res.SetContent(json{{"key", created->record.shortlink}}.dump(), "application/json");
}

void CompatHandlers::HasteGet(const HttpRequest& req, HttpResponse& res) {
  auto paste = reading_.Find(req, req.path_params[0], Dialect::kHaste, res);
  if (!paste) return;
  // Its one reading, if it burns (never on a HEAD).
  paste = reading_.TakeIfBurning(req, std::move(paste), BrowserBurn::kNotice, Dialect::kHaste, res);
  if (!paste) return;
  res.status = 200;
  res.SetContent(json{{"data", paste->contents}, {"key", paste->record.shortlink}}.dump(),
                 "application/json");
}

}  // namespace pastebin
