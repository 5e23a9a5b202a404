// PastebinComApi: pastebin.com's API (https://pastebin.com/doc_api), as its
// clients (pastebin-api, pastebin-js, pastebinit's pastebin.com config,
// App::Nopaste) send it: POST /api/api_post.php with a url-encoded form.
// No accounts here: a guest's paste, unlisted like every paste. Success is
// 200 and the paste's URL alone (no newline: the clients hand the body
// back as it is); every refusal, the front desk's too, is a 4xx or 5xx
// whose text starts "Bad API request, " (Dialect::kPastebinCom), because
// those clients take any other body for a link.
#ifndef PASTEBIN_DAEMON_WEB_PASTEBIN_COM_API_H_
#define PASTEBIN_DAEMON_WEB_PASTEBIN_COM_API_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "daemon/front/links.h"
#include "daemon/http/http_message.h"
#include "daemon/paste_service.h"

namespace pastebin {

// pastebin.com's api_paste_expire_date codes in minutes (N: 0, never; 1M
// is 30 days, 6M 180, 1Y 365); nullopt for anything else. Not pasted's
// durations: "1M" is a month here.
std::optional<int64_t> PastebinComExpiry(std::string_view code);

class PastebinComApi {
 public:
  // None owned; both must outlive the group.
  PastebinComApi(PasteService& pastes, const Links& links) : pastes_(pastes), links_(links) {}

  // POST /api/api_post.php: api_option paste (api_paste_code, and
  // api_paste_name, _format, _private, _expire_date, api_user_key,
  // api_folder_key as pastebin.com takes them) or delete (api_paste_key,
  // with the delete token as api_user_key: "Paste Removed").
  void Post(const HttpRequest& req, HttpResponse& res);
  // GET /api/api_post.php: 405, as pastebin.com says it.
  void Get(const HttpRequest& req, HttpResponse& res);
  // POST /api/api_login.php and /api/api_raw.php: there are no accounts.
  void Login(const HttpRequest& req, HttpResponse& res);
  void UserRaw(const HttpRequest& req, HttpResponse& res);

 private:
  void Create(const HttpRequest& req, const std::vector<FormField>& fields, HttpResponse& res);
  void Delete(const HttpRequest& req, const std::vector<FormField>& fields, HttpResponse& res);

  PasteService& pastes_;
  const Links& links_;
};

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_WEB_PASTEBIN_COM_API_H_
