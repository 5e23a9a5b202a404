#include "daemon/web/pastebin_com_api.h"

#include "common/shortlink.h"
#include "daemon/front/answer.h"
#include "daemon/http/form_data.h"

namespace pastebin {
namespace {

constexpr Dialect kDialect = Dialect::kPastebinCom;

void Refuse(const HttpRequest& req, HttpResponse& res, int status, const std::string& message) {
  SendErrorAs(req, res, status, message, kDialect);
}

}  // namespace

std::optional<int64_t> PastebinComExpiry(std::string_view code) {
  static constexpr std::pair<std::string_view, int64_t> kCodes[] = {{"N", 0},
                                                                    {"10M", 10},
                                                                    {"1H", 60},
                                                                    {"1D", 24 * 60},
                                                                    {"1W", 7 * 24 * 60},
                                                                    {"2W", 14 * 24 * 60},
                                                                    {"1M", 30 * 24 * 60},
                                                                    {"6M", 180 * 24 * 60},
                                                                    {"1Y", 365 * 24 * 60}};
  for (const auto& [name, minutes] : kCodes) {
    if (code == name) return minutes;
  }
  return std::nullopt;
}

void PastebinComApi::Post(const HttpRequest& req, HttpResponse& res) {
  if (!IsMediaType(req.Header("Content-Type"), "application/x-www-form-urlencoded")) {
    return Refuse(req, res, 415, "send a form (Content-Type: application/x-www-form-urlencoded)");
  }
  auto fields = ParseUrlEncoded(req.body);
  if (!fields) {
    return Refuse(req, res, 400,
                  "too many fields (at most " + std::to_string(kMaxFormFields) + ")");
  }
  std::string option = FieldValue(*fields, {"api_option"}).value_or("");
  if (option == "paste") return Create(req, *fields, res);
  if (option == "delete") return Delete(req, *fields, res);
  Refuse(req, res, 400, "invalid api_option");
}

void PastebinComApi::Create(const HttpRequest& req, const std::vector<FormField>& fields,
                            HttpResponse& res) {
  std::string code = FieldValue(fields, {"api_paste_code"}).value_or("");
  if (code.empty()) return Refuse(req, res, 400, "api_paste_code was empty");
  if (!FieldValue(fields, {"api_user_key"}).value_or("").empty()) {
    return Refuse(req, res, 403, "invalid api_user_key");
  }
  if (!FieldValue(fields, {"api_folder_key"}).value_or("").empty()) {
    return Refuse(req, res, 403, "you can't add paste to folder as guest");
  }
  std::string visibility = FieldValue(fields, {"api_paste_private"}).value_or("");
  if (!visibility.empty() && visibility != "0" && visibility != "1") {
    return Refuse(req, res, 400, "invalid api_paste_private");
  }
  std::optional<int64_t> minutes;  // none named: the server's default
  if (auto expire = FieldValue(fields, {"api_paste_expire_date"}); expire && !expire->empty()) {
    minutes = PastebinComExpiry(*expire);
    int64_t max = pastes_.limits().max_expiry_minutes;
    if (!minutes || (max > 0 && (*minutes == 0 || *minutes > max))) {
      return Refuse(req, res, 400, "invalid api_paste_expire_date");
    }
  }
  PasteOptions options;
  // A format names the language where it is one of ours to name ("text":
  // none); never refused.
  std::string format = FieldValue(fields, {"api_paste_format"}).value_or("");
  if (format != "text" && IsLanguageName(format)) options.language = format;
  auto created = pastes_.Create(code, minutes, options);
  if (!created.ok()) {
    switch (created.status().code()) {
      case Code::kTooLarge:
        return Refuse(req, res, 413, "maximum paste file size exceeded");
      case Code::kNotText:
        return Refuse(req, res, 415, "api_paste_code is not UTF-8 text");
      default:
        return SendError(req, res, created.status(), kDialect);
    }
  }
  std::string url = links_.Of(req, created->record.shortlink);
  res.status = 200;
  res.SetHeader("X-Delete-Token", created->delete_token);
  res.SetContent(url, "text/plain; charset=utf-8");
}

void PastebinComApi::Delete(const HttpRequest& req, const std::vector<FormField>& fields,
                            HttpResponse& res) {
  std::string key = FieldValue(fields, {"api_paste_key"}).value_or("");
  std::string token = FieldValue(fields, {"api_user_key"}).value_or("");
  if (!IsValidShortlink(key)) return Refuse(req, res, 400, "invalid api_paste_key");
  Status s = pastes_.Delete(key, token);
  if (s.code() == Code::kNotFound) return Refuse(req, res, 404, "invalid api_paste_key");
  if (s.code() == Code::kForbidden) {
    return Refuse(req, res, 403,
                  "invalid permission to remove paste (api_user_key is its delete token)");
  }
  if (!s.ok()) return SendError(req, res, s, kDialect);
  res.status = 200;
  res.SetContent("Paste Removed", "text/plain; charset=utf-8");
}

void PastebinComApi::Get(const HttpRequest& req, HttpResponse& res) {
  res.SetHeader("Allow", "POST");
  Refuse(req, res, 405, "use POST request, not GET");
}

void PastebinComApi::Login(const HttpRequest& req, HttpResponse& res) {
  Refuse(req, res, 403, "invalid login");
}

void PastebinComApi::UserRaw(const HttpRequest& req, HttpResponse& res) {
  Refuse(req, res, 403, "invalid api_user_key");
}

}  // namespace pastebin
