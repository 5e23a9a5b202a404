#include "daemon/web/compat_handlers.h"

#include <nlohmann/json.hpp>

#include "common/duration.h"
#include "common/shortlink.h"
#include "common/strings.h"
#include "daemon/front/answer.h"
#include "daemon/pages/pages.h"
#include "daemon/public_error.h"

namespace pastebin {
namespace {

using nlohmann::json;

// Field names that carry the paste, in the order they are looked for
// ("f:1" is ix.io's).
constexpr const char* kContentFields[] = {"file", "sprunge", "content", "paste", "text", "f:1"};

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

// A language another pastebin's client names, where it is one ("text",
// "auto" and the empty choice: none).
std::string LanguageOf(const std::optional<std::string>& name) {
  if (!name) return "";
  std::string lower;
  for (char c : *name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lower == "text" || lower == "auto" || lower == "plain" || !IsLanguageName(lower)) return "";
  return lower;
}

// A form body of either kind: url-encoded or multipart.
Result<std::vector<FormField>> FormFields(const HttpRequest& req) {
  std::string_view type = req.Header("Content-Type");
  if (auto boundary = MultipartBoundary(type)) return PartsOf(req, *boundary);
  if (!IsMediaType(type, "application/x-www-form-urlencoded")) {
    return InvalidArgument("send a form: application/x-www-form-urlencoded or multipart/form-data");
  }
  auto fields = ParseUrlEncoded(req.body);
  if (!fields) return TooManyFields();
  return std::move(*fields);
}

// A whole number of minutes in [0, max] from a form field, or nullopt.
std::optional<int64_t> WholeNumber(const std::string& text, int64_t max) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n > max) return std::nullopt;
  return n;
}

}  // namespace

void CompatHandlers::CreateAndAnswer(const HttpRequest& req, const std::string& contents,
                                     std::optional<int64_t> minutes, const PasteOptions& options,
                                     int status, HttpResponse& res) {
  auto created = pastes_.Create(contents, minutes, options);
  if (!created.ok()) return SendError(req, res, created.status(), Dialect::kText);
  std::string url = links_.Of(req, created->record.shortlink);
  res.status = status;
  res.SetHeader("Location", url);
  res.SetHeader("X-Delete-Token", created->delete_token);
  res.SetContent(url + "\n", "text/plain; charset=utf-8");
}

void CompatHandlers::DpasteCreate(const HttpRequest& req, HttpResponse& res) {
  auto fields = FormFields(req);
  if (!fields.ok()) return SendError(req, res, fields.status(), Dialect::kText);
  auto content = FieldValue(*fields, {"content"});
  if (!content || content->empty()) {
    return SendError(req, res, InvalidArgument("content is empty: send the paste as content"),
                     Dialect::kText);
  }
  std::optional<int64_t> minutes;
  if (auto days = FieldValue(*fields, {"expiry_days"}); days && !days->empty()) {
    auto n = WholeNumber(*days, 365);
    if (!n || *n < 1) {
      return SendError(req, res, InvalidArgument("expiry_days takes 1 to 365 (days)"),
                       Dialect::kText);
    }
    minutes = *n * 24 * 60;
  }
  PasteOptions options;
  options.language = LanguageOf(FieldValue(*fields, {"syntax"}));
  CreateAndAnswer(req, *content, minutes, options, 201, res);
}

void CompatHandlers::StikkedCreate(const HttpRequest& req, HttpResponse& res) {
  auto fields = FormFields(req);
  if (!fields.ok()) return SendError(req, res, fields.status(), Dialect::kText);
  auto text = FieldValue(*fields, {"text"});
  if (!text || text->empty()) {
    return SendError(req, res, InvalidArgument("text is empty: send the paste as text"),
                     Dialect::kText);
  }
  std::optional<int64_t> minutes;
  if (auto expire = FieldValue(*fields, {"expire"}); expire && !expire->empty()) {
    minutes = WholeNumber(*expire, int64_t{100} * 365 * 24 * 60);
    if (!minutes) {
      return SendError(req, res, InvalidArgument("expire takes minutes (0: never)"),
                       Dialect::kText);
    }
  }
  PasteOptions options;
  options.language = LanguageOf(FieldValue(*fields, {"lang"}));
  CreateAndAnswer(req, *text, minutes, options, 200, res);
}

void CompatHandlers::PastebinitForm(const HttpRequest& req, const std::vector<FormField>& fields,
                                    HttpResponse& res) {
  auto sprunge = FieldValue(fields, {"sprunge"});
  auto contents = sprunge ? sprunge : FieldValue(fields, {"content", "code", "code2"});
  if (!contents) {
    return SendError(req, res,
                     InvalidArgument("no paste in this form: pastebinit's services send it as "
                                     "sprunge, content, code or code2"),
                     Dialect::kText);
  }
  // paste.debian.net's expire is in seconds.
  std::optional<int64_t> minutes;
  if (auto expire = FieldValue(fields, {"expire"}); expire && !expire->empty()) {
    auto seconds = WholeNumber(*expire, int64_t{100} * 365 * 24 * 3600);
    if (!seconds) {
      return SendError(req, res, InvalidArgument("expire takes seconds"), Dialect::kText);
    }
    minutes = (*seconds + 59) / 60;
  }
  PasteOptions options;
  options.language = LanguageOf(FieldValue(fields, {"lang", "syntax", "class"}));
  // sprunge answers with the URL; the others send the browser to the paste.
  CreateAndAnswer(req, *contents, minutes, options, sprunge ? 201 : 303, res);
}

void CompatHandlers::SubmitPhp(const HttpRequest& req, HttpResponse& res) {
  if (!IsMediaType(req.Header("Content-Type"), "application/x-www-form-urlencoded")) {
    return SendError(req, res, InvalidArgument("send a url-encoded form with code"),
                     Dialect::kText);
  }
  auto fields = ParseUrlEncoded(req.body);
  if (!fields) return SendError(req, res, TooManyFields(), Dialect::kText);
  PastebinitForm(req, *fields, res);
}

void CompatHandlers::LodgeitNewPaste(const HttpRequest& req, HttpResponse& res) {
  auto answer = [&](int status, const json& data, const json& error) {
    res.status = status;
    // Python's json.dumps spacing: pastebinit matches "data": "KEY".
    res.SetContent("{\"data\": " + data.dump() + ", \"error\": " + error.dump() + "}",
                   "application/json");
  };
  if (req.Param("method") != "pastes.newPaste") {
    return answer(400, nullptr, "this server takes only pastes.newPaste");
  }
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("code") || !body["code"].is_string()) {
    return answer(400, nullptr, "send {\"code\": TEXT} (and language)");
  }
  PasteOptions options;
  if (auto it = body.find("language"); it != body.end() && it->is_string()) {
    options.language = LanguageOf(it->get<std::string>());
  }
  auto created = pastes_.Create(body["code"].get<std::string>(), std::nullopt, options);
  if (!created.ok()) {
    Status told = PublicError(created.status());
    return answer(told.http_status(), nullptr, told.message());
  }
  res.SetHeader("X-Delete-Token", created->delete_token);
  answer(200, created->record.shortlink, nullptr);
}

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
  // The form's "detect", and pastebinit's -f default: none.
  if (options.language == "auto" || options.language == "text") options.language.clear();
  auto created = pastes_.Create(*contents, minutes, options);
  if (!created.ok()) return SendError(req, res, created.status(), Dialect::kText);
  std::string url = links_.Of(req, created->record.shortlink);
  res.SetHeader("X-Delete-Token", created->delete_token);
  if (AcceptsHtml(req)) {
    // A browser's form: see other (303) — the created page, with the
    // delete token in its address's fragment, which no server or log sees.
    // Reloading it reloads a page; it posts nothing again.
    res.status = 303;
    res.SetHeader("Location", links_.Base(req) + "/created/" + created->record.shortlink +
                                  "#token=" + created->delete_token);
    res.SetHeader("Cache-Control", "no-store");
    res.SetContent("created " + url + "\n", "text/plain; charset=utf-8");
    return;
  }
  res.SetHeader("Location", url);
  res.status = 201;
  res.SetContent(url + "\n", "text/plain; charset=utf-8");
}

void CompatHandlers::Upload(const HttpRequest& req, HttpResponse& res) {
  auto boundary = MultipartBoundary(req.Header("Content-Type"));
  // pastebinit's url-encoded forms: told from raw bytes by its name, which
  // curl and the other raw senders never give.
  if (!boundary && req.Header("User-Agent").rfind("Pastebinit", 0) == 0 &&
      IsMediaType(req.Header("Content-Type"), "application/x-www-form-urlencoded")) {
    auto fields = ParseUrlEncoded(req.body);
    if (!fields) return SendError(req, res, TooManyFields(), Dialect::kText);
    return PastebinitForm(req, *fields, res);
  }
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
