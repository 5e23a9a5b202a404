#include "daemon/front/answer.h"

#include <nlohmann/json.hpp>

#include "common/wire.h"
#include "daemon/pages/pages.h"
#include "daemon/public_error.h"

namespace pastebin {
namespace {

// One error, in the client's form: the code names it for the JSON API.
void Render(const HttpRequest& req, HttpResponse& res, int http_status, const Status& told,
            Dialect dialect) {
  res.status = http_status;
  if (AcceptsHtml(req)) {
    SetPageHeaders(res);
    return res.SetContent(ErrorPage(http_status, told.message()), "text/html; charset=utf-8");
  }
  switch (dialect) {
    case Dialect::kJson:
      return res.SetContent(ErrorJson(told), "application/json");
    case Dialect::kText:
      return res.SetContent("error: " + told.message() + "\n", "text/plain; charset=utf-8");
    case Dialect::kHaste:
      return res.SetContent(nlohmann::json{{"message", told.message()}}.dump(
                                -1, ' ', false, nlohmann::json::error_handler_t::replace),
                            "application/json");
    case Dialect::kPastebinCom:
      return res.SetContent("Bad API request, " + told.message(), "text/plain; charset=utf-8");
  }
}

}  // namespace

bool AcceptsHtml(const HttpRequest& req) {
  return req.Header("Accept").find("text/html") != std::string_view::npos;
}

bool WantsHtml(const HttpRequest& req) { return AcceptsHtml(req) && !req.HasParam("raw"); }

void SendJson(HttpResponse& res, int http_status, std::string json) {
  res.status = http_status;
  res.SetContent(std::move(json), "application/json");
}

void SendError(const HttpRequest& req, HttpResponse& res, const Status& status, Dialect dialect) {
  Status told = PublicError(status);
  Render(req, res, told.http_status(), told, dialect);
  // Unavailable (a store that is away, say): when to ask again.
  if (told.http_status() == 503) {
    bool has = false;
    for (const auto& [name, value] : res.headers) {
      has = has || EqualsIgnoreCase(name, "Retry-After");
    }
    if (!has) res.SetHeader("Retry-After", "2");
  }
}

void SendErrorAs(const HttpRequest& req, HttpResponse& res, int http_status,
                 const std::string& message, Dialect dialect) {
  Render(req, res, http_status, Status(CodeFromHttpStatus(http_status), message), dialect);
}

}  // namespace pastebin
