#include "daemon/transfer/export_format.h"

#include <nlohmann/json.hpp>

#include "common/sealed.h"
#include "common/shortlink.h"
#include "common/text.h"
#include "common/url.h"

namespace pastebin {
namespace {

using Json = nlohmann::ordered_json;

std::string Line(const Json& j) { return j.dump() + "\n"; }

Status Bad(const std::string& field, const std::string& what) {
  return InvalidArgument("field '" + field + "' " + what);
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsMonth(const std::string& s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return s.substr(5) >= "01" && s.substr(5) <= "12";
}

// j[field] as a non-negative integer.
Result<int64_t> Count(const Json& j, const std::string& field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_number_integer() || it->get<int64_t>() < 0) {
    return Bad(field, "must be a whole number, 0 or more");
  }
  return it->get<int64_t>();
}

Result<std::string> Text(const Json& j, const std::string& field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_string()) return Bad(field, "must be a string");
  return it->get<std::string>();
}

Result<ExportLine> ParsePaste(const Json& j) {
  ExportPaste out;
  PasteRecord& r = out.record;
  auto link = Text(j, "link");
  if (!link.ok()) return link.status();
  if (!IsValidShortlink(*link)) return Bad("link", "must be 6 to 16 letters, digits, - or +");
  if (IsReservedShortlink(*link)) return Bad("link", "'" + *link + "' names one of pasted's pages");
  r.shortlink = *link;
  auto created = Count(j, "created_at");
  if (!created.ok()) return created.status();
  r.created_at = *created;
  auto minutes = Count(j, "expiration_minutes");
  if (!minutes.ok()) return minutes.status();
  r.expiration_length_in_minutes = *minutes;
  if (auto it = j.find("expires_at"); it != j.end() && !it->is_null()) {
    auto expires = Count(j, "expires_at");
    if (!expires.ok()) return expires.status();
    r.expires_at = *expires;
  }
  auto token = Text(j, "delete_token_sha256");
  if (!token.ok()) return token.status();
  if (!IsHex64(*token)) return Bad("delete_token_sha256", "must be 64 lowercase hex digits");
  r.delete_token_hash = *token;
  if (auto it = j.find("burn"); it != j.end()) {
    if (!it->is_boolean()) return Bad("burn", "must be true or false");
    r.burn_after_reading = it->get<bool>();
  }
  if (auto it = j.find("language"); it != j.end()) {
    auto lang = Text(j, "language");
    if (!lang.ok()) return lang.status();
    if (!lang->empty() && !IsLanguageName(*lang)) {
      return Bad("language", "must be a language name such as py (or \"\")");
    }
    r.language = *lang;
  }
  int bodies = j.contains("body") + j.contains("body_base64url") + j.contains("url");
  if (bodies != 1) {
    return InvalidArgument("a paste needs exactly one of 'body', 'body_base64url' and 'url'");
  }
  if (j.contains("url")) {
    auto url = Text(j, "url");
    if (!url.ok()) return url.status();
    Status valid = CheckLinkTarget(*url);
    if (!valid.ok()) return Bad("url", valid.message());
    r.link_target = *url;
  } else if (j.contains("body")) {
    auto body = Text(j, "body");
    if (!body.ok()) return body.status();
    out.body = std::move(body).value();
  } else {
    auto text = Text(j, "body_base64url");
    if (!text.ok()) return text.status();
    auto body = Base64UrlDecode(*text);
    if (!body.ok()) return Bad("body_base64url", "is not base64url");
    out.body = std::move(body).value();
  }
  if (!r.link_target && out.body.empty()) return Bad("body", "is empty: a paste has bytes");
  return ExportLine(std::move(out));
}

}  // namespace

std::string FormatHeader() {
  Json j;
  j["type"] = "pastebin-export";
  j["version"] = kExportVersion;
  return Line(j);
}

std::string FormatPaste(const PasteRecord& r, std::string_view body) {
  Json j;
  j["type"] = "paste";
  j["link"] = r.shortlink;
  j["created_at"] = r.created_at;
  j["expiration_minutes"] = r.expiration_length_in_minutes;
  j["expires_at"] = r.expires_at ? Json(*r.expires_at) : Json(nullptr);
  j["delete_token_sha256"] = r.delete_token_hash;
  j["burn"] = r.burn_after_reading;
  j["language"] = r.language;
  if (r.link_target) {
    j["url"] = *r.link_target;
  } else if (CheckText(body, "paste").ok()) {
    j["body"] = std::string(body);
  } else {
    j["body_base64url"] = Base64UrlEncode(body);
  }
  return Line(j);
}

std::string FormatVisits(const VisitCount& c) {
  Json j;
  j["type"] = "visits";
  j["link"] = c.shortlink;
  j["month"] = c.month;
  j["visits"] = c.visits;
  return Line(j);
}

std::string FormatEnd(const ExportCounts& c) {
  Json j;
  j["type"] = "end";
  j["pastes"] = c.pastes;
  j["bytes"] = c.bytes;
  j["visit_counts"] = c.visit_counts;
  return Line(j);
}

Result<ExportLine> ParseExportLine(std::string_view line) {
  Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument("not a JSON object");
  auto type = Text(j, "type");
  if (!type.ok()) return type.status();
  if (*type == "paste") return ParsePaste(j);
  if (*type == "visits") {
    VisitCount c;
    auto link = Text(j, "link");
    if (!link.ok()) return link.status();
    if (!IsValidShortlink(*link)) return Bad("link", "must be 6 to 16 letters, digits, - or +");
    auto month = Text(j, "month");
    if (!month.ok()) return month.status();
    if (!IsMonth(*month)) return Bad("month", "must be YYYY-MM");
    auto visits = Count(j, "visits");
    if (!visits.ok()) return visits.status();
    return ExportLine(VisitCount{*month, *link, *visits});
  }
  if (*type == "end") {
    ExportCounts c;
    for (auto [field, into] : {std::pair<const char*, int64_t*>{"pastes", &c.pastes},
                               {"bytes", &c.bytes},
                               {"visit_counts", &c.visit_counts}}) {
      auto n = Count(j, field);
      if (!n.ok()) return n.status();
      *into = *n;
    }
    return ExportLine(c);
  }
  if (*type == "pastebin-export") {
    auto version = Count(j, "version");
    if (!version.ok()) return version.status();
    if (*version != kExportVersion) {
      return InvalidArgument("format version " + std::to_string(*version) +
                             " is not one this pasted reads (" + std::to_string(kExportVersion) +
                             "); import it with the pasted that made it, or a newer one");
    }
    return ExportLine(ExportHeader{});
  }
  return Bad("type", "'" + *type + "' is not paste, visits, end or pastebin-export");
}

}  // namespace pastebin
