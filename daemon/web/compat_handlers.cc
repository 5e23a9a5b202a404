#include "daemon/web/compat_handlers.h"

#include <nlohmann/json.hpp>

#include <cstring>

#include "common/duration.h"
#include "daemon/daemon.h"
#include "daemon/http/form_data.h"
#include "daemon/public_error.h"

namespace pastebin {
namespace {

using nlohmann::json;

// Field names that carry the paste, in the order they are looked for.
constexpr const char* kContentFields[] = {"file", "sprunge", "content", "paste", "text"};

// Whether a body labelled application/x-www-form-urlencoded really is a
// form. curl --data-binary labels raw bytes so, and raw text such as
// "a=b&c=d\n..." must stay raw: a body is a form if it holds nothing a form
// encoder would have escaped (spaces, line breaks, non-ASCII), or if it
// starts with one of the content fields ("content=...", as curl -d sends).
bool LooksLikeForm(std::string_view body) {
  for (const char* name : kContentFields) {
    std::string prefix = std::string(name) + "=";
    if (body.compare(0, prefix.size(), prefix) == 0) return true;
  }
  for (unsigned char c : body) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              strchr("%+=&-._~*:", c) != nullptr;
    if (!ok || c == 0) return false;
  }
  return true;
}

void TextError(HttpResponse& res, const Status& status) {
  Status s = PublicError(status);
  res.status = s.http_status();
  res.SetContent("error: " + s.message() + "\n", "text/plain; charset=utf-8");
}

void HasteError(HttpResponse& res, const Status& status) {
  Status s = PublicError(status);
  res.status = s.http_status();
  res.SetContent(json{{"message", s.message()}}.dump(-1, ' ', false,
                                                     json::error_handler_t::replace),
                 "application/json");
}

// The rate limit, then the shared write path. On failure the Status is the
// answer to give, in the caller's protocol.
Result<NewPaste> Store(Daemon& d, const HttpRequest& req, const std::string& contents,
                       std::optional<int64_t> minutes, HttpResponse& res) {
  if (int64_t wait = d.TakeWriteToken(req)) {
    res.SetHeader("Retry-After", std::to_string(wait));
    return Status(Code::kRateLimited, "too many pastes from " + d.ClientOf(req) +
                                          "; try again in " + std::to_string(wait) +
                                          (wait == 1 ? " second" : " seconds"));
  }
  return d.pastes().Create(contents, minutes);
}

}  // namespace

void CreateFromUpload(Daemon& d, const HttpRequest& req, HttpResponse& res) {
  std::string_view type = req.Header("Content-Type");
  std::optional<std::string> contents;
  std::optional<std::string> expire;
  if (req.HasParam("expire")) expire = req.Param("expire");
  std::vector<FormField> fields;
  if (auto boundary = MultipartBoundary(type)) {
    auto parts = ParseMultipart(req.body, *boundary);
    if (!parts) {
      return TextError(res, InvalidArgument("malformed multipart/form-data body"));
    }
    fields = std::move(*parts);
  } else if (IsMediaType(type, "application/x-www-form-urlencoded") &&
             LooksLikeForm(req.body)) {
    fields = ParseUrlEncoded(req.body);
  }
  for (const char* name : kContentFields) {
    for (auto& f : fields) {
      if (!contents && f.name == name) contents = std::move(f.value);
    }
  }
  for (const auto& f : fields) {
    if (f.name == "expire" || f.name == "expires") expire = f.value;
  }
  // A form without any known field is not a form: curl --data-binary labels
  // raw bytes application/x-www-form-urlencoded. Take the body as it is.
  if (!contents && !MultipartBoundary(type)) contents = req.body;
  if (!contents) {
    return TextError(res, InvalidArgument(
                              "no paste in this form: send a field named file, sprunge, "
                              "content, paste or text"));
  }
  std::optional<int64_t> minutes;
  if (expire && !expire->empty()) {
    auto parsed = ParseDuration(*expire);
    if (!parsed.ok()) return TextError(res, parsed.status());
    minutes = *parsed;
  }
  auto created = Store(d, req, *contents, minutes, res);
  if (!created.ok()) return TextError(res, created.status());
  std::string url = d.LinkBase(req) + "/" + created->record.shortlink;
  res.SetHeader("Location", url);
  res.SetHeader("X-Delete-Token", created->delete_token);
  if (req.Header("Accept").find("text/html") != std::string_view::npos) {
    res.status = 303;  // a browser form: on to the paste itself
    res.SetContent(url + "\n", "text/plain; charset=utf-8");
    return;
  }
  res.status = 201;
  res.SetContent(url + "\n", "text/plain; charset=utf-8");
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
  res.status = 200;
  res.SetContent(json{{"data", (*paste)->contents}, {"key", (*paste)->record.shortlink}}.dump(),
                 "application/json");
}

}  // namespace pastebin
