#include "common/wire.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/duration.h"
#include "common/fast_json.h"
#include "common/shortlink.h"
#include "common/time_format.h"
#include "common/url.h"

namespace pastebin {
namespace {

using nlohmann::json;

// What a parse may build. A request's body is held to the fields it can
// carry (unknown ones are read past, never kept) and a few values; an
// answer may be long (a month's statistics), but not without end. Without
// bounds, a body of "{}," repeated built a DOM some 40 times its size.
struct JsonBounds {
  size_t max_values;
  int max_depth;
  std::vector<std::string_view> keep;  // top-level keys kept; empty: all
};
const JsonBounds kAnswerBounds{2'000'000, 16, {}};

struct OverBounds {};  // thrown by the parse callback, caught below

Result<json> ParseObject(std::string_view body, const char* what,
                         const JsonBounds& bounds = kAnswerBounds) {
  size_t values = 0;
  json::parser_callback_t filter = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > bounds.max_depth) throw OverBounds();
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
      case json::parse_event_t::value:
        if (++values > bounds.max_values) throw OverBounds();
        return true;
      case json::parse_event_t::key:
        // An unknown top-level key: its value is read past, not kept.
        if (depth != 1 || bounds.keep.empty()) return true;
        return std::find(bounds.keep.begin(), bounds.keep.end(),
                         parsed.get_ref<const std::string&>()) != bounds.keep.end();
      default:
        return true;
    }
  };
  json j;
  try {
    j = json::parse(body.begin(), body.end(), filter, /*allow_exceptions=*/false);
  } catch (const OverBounds&) {
    return InvalidArgument(
        std::string(what) + " holds more than " + std::to_string(bounds.max_values) +
        " JSON values or nests deeper than " + std::to_string(bounds.max_depth) + "; " +
        (bounds.keep.empty() ? "no pastebin server sends that"
                             : "send only the request's own fields"));
  }
  if (j.is_discarded()) {
    return InvalidArgument(std::string(what) +
                           " is not valid JSON (or not UTF-8); send an object "
                           "like {\"paste_contents\": \"text\"}");
  }
  if (!j.is_object()) {
    return InvalidArgument(std::string(what) + " must be a JSON object");
  }
  return j;
}

// A create request: its four fields, a few values, shallow.
const JsonBounds kCreatePasteBounds{
    64, 8, {"paste_contents", "expiration_length_in_minutes", "burn_after_reading", "language"}};
const JsonBounds kCreateLinkBounds{64, 8, {"url", "expiration_length_in_minutes"}};

Status BadField(const char* field, const std::string& why) {
  return InvalidArgument(std::string("field '") + field + "' " + why);
}

// What a server may answer is checked before anyone prints or stores it:
// a server that is not ours, or not honest, must not reach a terminal or
// the token file with whatever bytes it likes.
Status CheckShortlinkField(const std::string& value, const char* field) {
  return IsValidShortlink(value) ? Status::Ok() : BadField(field, "is not a shortlink");
}

Status CheckUrlField(const std::string& value, const char* field) {
  return CheckLinkTarget(value).ok() ? Status::Ok() : BadField(field, "is not an http(s) URL");
}

Status CheckTokenField(const std::string& value, const char* field) {
  bool hex = !value.empty() && value.size() <= 128 &&
             value.find_first_not_of("0123456789abcdef") == std::string::npos;
  return hex ? Status::Ok() : BadField(field, "is not a token");
}

Result<std::string> StringField(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end()) return BadField(field, "is missing");
  if (!it->is_string()) return BadField(field, "must be a string");
  return it->get<std::string>();
}

std::optional<std::string> OptionalStringField(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

json OptionalToJson(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// An expiration given as a JSON integer or a decimal string; nullopt if
// absent or null.
Result<std::optional<int64_t>> MinutesField(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::optional<int64_t>();
  const char* kForm =
      "must be a whole, non-negative number of minutes "
      "(a number or a string of digits; 0 means never)";
  int64_t minutes = 0;
  if (it->is_number_unsigned()) {
    uint64_t u = it->get<uint64_t>();
    if (u > static_cast<uint64_t>(kMaxExpiryMinutes)) {
      return BadField(field, "is more than 100 years");
    }
    minutes = static_cast<int64_t>(u);
  } else if (it->is_number_integer()) {
    minutes = it->get<int64_t>();
    if (minutes < 0) return BadField(field, "must not be negative");
  } else if (it->is_number_float()) {
    return BadField(field, kForm);
  } else if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    if (s.empty()) return BadField(field, kForm);
    for (char c : s) {
      if (c < '0' || c > '9') return BadField(field, kForm);
      minutes = minutes * 10 + (c - '0');
      if (minutes > kMaxExpiryMinutes) {
        return BadField(field, "is more than 100 years");
      }
    }
  } else {
    return BadField(field, kForm);
  }
  if (minutes > kMaxExpiryMinutes) {
    return BadField(field, "is more than 100 years");
  }
  return std::optional<int64_t>(minutes);
}

int64_t IntegerOr(const json& j, const char* field, int64_t fallback) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_number_integer()) return fallback;
  return it->get<int64_t>();
}

}  // namespace

std::string ToJson(const CreatePasteRequest& req) {
  json j = {{"paste_contents", req.paste_contents}};
  if (req.expiration_length_in_minutes) {
    j["expiration_length_in_minutes"] = *req.expiration_length_in_minutes;
  }
  if (req.burn_after_reading) j["burn_after_reading"] = true;
  if (!req.language.empty()) j["language"] = req.language;
  return j.dump();
}

Result<CreatePasteRequest> ParseCreatePasteRequest(std::string_view body) {
  constexpr const char* kMinutes = "expiration_length_in_minutes";
  if (auto fast = ScanCreatePaste(body)) {
    // The expiry alone goes through nlohmann, for the same checks and words.
    json expiry = json::object();
    switch (fast->minutes_kind) {
      case FastCreatePaste::Minutes::kAbsent:
        break;
      case FastCreatePaste::Minutes::kNull:
        expiry[kMinutes] = nullptr;
        break;
      case FastCreatePaste::Minutes::kNumber:
        expiry[kMinutes] = fast->minutes_number;
        break;
      case FastCreatePaste::Minutes::kString:
        expiry[kMinutes] = fast->minutes_string;
        break;
    }
    auto minutes = MinutesField(expiry, kMinutes);
    if (!minutes.ok()) return minutes.status();
    return CreatePasteRequest{std::move(fast->paste_contents), *minutes, false, ""};
  }
  return ParseCreatePasteRequestSlowly(body);
}

Result<CreatePasteRequest> ParseCreatePasteRequestSlowly(std::string_view body) {
  auto j = ParseObject(body, "request body", kCreatePasteBounds);
  if (!j.ok()) return j.status();
  CreatePasteRequest req;
  auto contents = StringField(*j, "paste_contents");
  if (!contents.ok()) return contents.status();
  req.paste_contents = std::move(contents).value();
  auto minutes = MinutesField(*j, "expiration_length_in_minutes");
  if (!minutes.ok()) return minutes.status();
  req.expiration_length_in_minutes = *minutes;
  auto burn = j->find("burn_after_reading");
  if (burn != j->end() && !burn->is_null()) {
    if (!burn->is_boolean()) {
      return InvalidArgument("field 'burn_after_reading' must be true or false");
    }
    req.burn_after_reading = burn->get<bool>();
  }
  auto language = j->find("language");
  if (language != j->end() && !language->is_null()) {
    if (!language->is_string()) return InvalidArgument("field 'language' must be a string");
    req.language = language->get<std::string>();
  }
  return req;
}

namespace {

// The answer to every create, written directly: building it as a
// nlohmann DOM and dumping it cost about 5 us, a tenth of a durable write's
// CPU. The same bytes (keys in nlohmann's sorted order), or nullopt for a
// value that is not text, which nlohmann then writes (or refuses) as before.
std::optional<std::string> WriteCreated(const PasteCreated& c) {
  std::string out;
  out.reserve(256);
  auto field = [&](std::string_view key, std::string_view value) {
    out.append(out.empty() ? "{\"" : ",\"").append(key).append("\":");
    return AppendJsonString(&out, value);
  };
  if (!field("created_at", c.created_at) || !field("delete_token", c.delete_token)) {
    return std::nullopt;
  }
  out.append(",\"expiration_length_in_minutes\":")
      .append(std::to_string(c.expiration_length_in_minutes));
  if (c.expires_at) {
    if (!field("expires_at", *c.expires_at)) return std::nullopt;
  } else {
    out.append(",\"expires_at\":null");
  }
  if (!field("shortlink", c.shortlink)) return std::nullopt;
  if (c.target && !field("target", *c.target)) return std::nullopt;
  if (!field("url", c.url)) return std::nullopt;
  out.push_back('}');
  return out;
}

}  // namespace

std::string ToJson(const PasteCreated& c) {
  if (auto fast = WriteCreated(c)) return std::move(*fast);
  json j = {{"shortlink", c.shortlink},
            {"url", c.url},
            {"created_at", c.created_at},
            {"expires_at", OptionalToJson(c.expires_at)},
            {"expiration_length_in_minutes", c.expiration_length_in_minutes},
            {"delete_token", c.delete_token}};
  if (c.target) j["target"] = *c.target;
  return j.dump();
}

std::string ToJson(const CreateLinkRequest& req) {
  json j = {{"url", req.url}};
  if (req.expiration_length_in_minutes) {
    j["expiration_length_in_minutes"] = *req.expiration_length_in_minutes;
  }
  return j.dump();
}

Result<CreateLinkRequest> ParseCreateLinkRequest(std::string_view body) {
  auto j = ParseObject(body, "request body", kCreateLinkBounds);
  if (!j.ok()) return j.status();
  auto url = StringField(*j, "url");
  if (!url.ok()) return url.status();
  auto minutes = MinutesField(*j, "expiration_length_in_minutes");
  if (!minutes.ok()) return minutes.status();
  return CreateLinkRequest{std::move(url).value(), *minutes};
}

std::string ToJson(const LinkView& v) {
  return json{{"shortlink", v.shortlink},
              {"target", v.target},
              {"created_at", v.created_at},
              {"expires_at", OptionalToJson(v.expires_at)},
              {"expiration_length_in_minutes", v.expiration_length_in_minutes}}
      .dump();
}

Result<LinkView> ParseLinkView(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  auto shortlink = StringField(*j, "shortlink");
  if (!shortlink.ok()) return shortlink.status();
  auto target = StringField(*j, "target");
  if (!target.ok()) return target.status();
  for (Status s :
       {CheckShortlinkField(*shortlink, "shortlink"), CheckUrlField(*target, "target")}) {
    if (!s.ok()) return s;
  }
  LinkView v;
  v.shortlink = *shortlink;
  v.target = *target;
  v.created_at = OptionalStringField(*j, "created_at").value_or("");
  v.expires_at = OptionalStringField(*j, "expires_at");
  v.expiration_length_in_minutes = IntegerOr(*j, "expiration_length_in_minutes", 0);
  return v;
}

Result<PasteCreated> ParsePasteCreated(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  PasteCreated c;
  auto shortlink = StringField(*j, "shortlink");
  if (!shortlink.ok()) return shortlink.status();
  auto url = StringField(*j, "url");
  if (!url.ok()) return url.status();
  c.shortlink = *shortlink;
  c.url = *url;
  c.created_at = OptionalStringField(*j, "created_at").value_or("");
  c.expires_at = OptionalStringField(*j, "expires_at");
  c.expiration_length_in_minutes = IntegerOr(*j, "expiration_length_in_minutes", 0);
  c.delete_token = OptionalStringField(*j, "delete_token").value_or("");
  c.target = OptionalStringField(*j, "target");
  for (Status s :
       {CheckShortlinkField(c.shortlink, "shortlink"), CheckUrlField(c.url, "url"),
        c.delete_token.empty() ? Status::Ok() : CheckTokenField(c.delete_token, "delete_token"),
        c.target ? CheckUrlField(*c.target, "target") : Status::Ok()}) {
    if (!s.ok()) return s;
  }
  return c;
}

std::string ToJson(const PasteView& v) {
  return json{{"shortlink", v.shortlink},
              {"paste_contents", v.paste_contents},
              {"created_at", v.created_at},
              {"expires_at", OptionalToJson(v.expires_at)},
              {"expiration_length_in_minutes", v.expiration_length_in_minutes}}
      .dump();
}

Result<PasteView> ParsePasteView(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  PasteView v;
  auto shortlink = StringField(*j, "shortlink");
  if (!shortlink.ok()) return shortlink.status();
  auto contents = StringField(*j, "paste_contents");
  if (!contents.ok()) return contents.status();
  v.shortlink = *shortlink;
  v.paste_contents = std::move(contents).value();
  v.created_at = OptionalStringField(*j, "created_at").value_or("");
  v.expires_at = OptionalStringField(*j, "expires_at");
  v.expiration_length_in_minutes = IntegerOr(*j, "expiration_length_in_minutes", 0);
  return v;
}

std::string ToJson(const ServerInfo& info) {
  return json{{"version", info.version},
              {"max_paste_bytes", info.max_paste_bytes},
              {"default_expiry_minutes", info.default_expiry_minutes},
              {"max_expiry_minutes", info.max_expiry_minutes}}
      .dump();
}

Result<ServerInfo> ParseServerInfo(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  ServerInfo info;
  info.max_paste_bytes = IntegerOr(*j, "max_paste_bytes", 0);
  if (info.max_paste_bytes <= 0) return BadField("max_paste_bytes", "is missing");
  info.version = OptionalStringField(*j, "version").value_or("");
  info.default_expiry_minutes = IntegerOr(*j, "default_expiry_minutes", 0);
  info.max_expiry_minutes = IntegerOr(*j, "max_expiry_minutes", 0);
  return info;
}

std::string ToJson(const AdminChallenge& challenge) {
  return json{{"nonce", challenge.nonce}, {"expires_in", challenge.expires_in}}.dump();
}

Result<AdminChallenge> ParseAdminChallenge(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  AdminChallenge out;
  out.nonce = OptionalStringField(*j, "nonce").value_or("");
  bool hex = out.nonce.size() >= 8 && out.nonce.size() <= 64 &&
             out.nonce.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!hex) return BadField("nonce", "is not a nonce");
  out.expires_in = IntegerOr(*j, "expires_in", 0);
  return out;
}

std::string ToJson(const GcResult& gc) {
  return json{{"deleted", gc.deleted},
              {"bytes_freed", gc.bytes_freed},
              {"orphans_removed", gc.orphans_removed},
              {"missing_bodies", gc.missing_bodies}}
      .dump();
}

Result<GcResult> ParseGcResult(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  if (!j->contains("deleted") || !(*j)["deleted"].is_number_integer()) {
    return InvalidArgument("field 'deleted' is missing");
  }
  GcResult gc;
  gc.deleted = IntegerOr(*j, "deleted", 0);
  gc.bytes_freed = IntegerOr(*j, "bytes_freed", 0);
  gc.orphans_removed = IntegerOr(*j, "orphans_removed", 0);
  gc.missing_bodies = IntegerOr(*j, "missing_bodies", 0);
  return gc;
}

std::string ToJson(const StatsMonths& stats) {
  json months = json::array();
  for (const auto& m : stats.months) {
    months.push_back({{"month", m.month},
                      {"total_visits", m.total_visits},
                      {"pastes_visited", m.pastes_visited}});
  }
  json out = {{"months", months}};
  if (stats.storage) {
    out["storage"] = {{"pastes", stats.storage->pastes},
                      {"bytes_pasted", stats.storage->bytes_pasted},
                      {"bytes_stored", stats.storage->bytes_stored}};
  }
  return out.dump();
}

Result<StatsMonths> ParseStatsMonths(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  auto it = j->find("months");
  if (it == j->end() || !it->is_array()) {
    return InvalidArgument("field 'months' is missing");
  }
  StatsMonths out;
  for (const auto& m : *it) {
    if (!m.is_object()) return InvalidArgument("field 'months' holds a non-object");
    std::string month = OptionalStringField(m, "month").value_or("");
    if (!IsMonthName(month)) return BadField("month", "is not a month");
    out.months.push_back(
        {month, IntegerOr(m, "total_visits", 0), IntegerOr(m, "pastes_visited", 0)});
  }
  auto storage = j->find("storage");
  if (storage != j->end() && storage->is_object()) {
    StatsStorage st{IntegerOr(*storage, "pastes", -1), IntegerOr(*storage, "bytes_pasted", -1),
                    IntegerOr(*storage, "bytes_stored", -1)};
    if (st.pastes < 0 || st.bytes_pasted < 0 || st.bytes_stored < 0) {
      return BadField("storage", "does not hold three counts");
    }
    out.storage = st;
  }
  return out;
}

std::string ToJson(const StatsMonth& stats) {
  json pastes = json::array();
  for (const auto& p : stats.pastes) {
    pastes.push_back({{"shortlink", p.shortlink}, {"visits", p.visits}});
  }
  return json{{"month", stats.month},
              {"total_visits", stats.total_visits},
              {"pastes_visited", stats.pastes_visited},
              {"pastes", pastes}}
      .dump();
}

Result<StatsMonth> ParseStatsMonth(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  auto month = StringField(*j, "month");
  if (!month.ok()) return month.status();
  auto it = j->find("pastes");
  if (it == j->end() || !it->is_array()) {
    return InvalidArgument("field 'pastes' is missing");
  }
  if (!IsMonthName(*month)) return BadField("month", "is not a month");
  StatsMonth out;
  out.month = *month;
  out.total_visits = IntegerOr(*j, "total_visits", 0);
  out.pastes_visited = IntegerOr(*j, "pastes_visited", 0);
  for (const auto& p : *it) {
    if (!p.is_object()) return InvalidArgument("field 'pastes' holds a non-object");
    std::string link = OptionalStringField(p, "shortlink").value_or("");
    Status valid = CheckShortlinkField(link, "shortlink");
    if (!valid.ok()) return valid;
    out.pastes.push_back({link, IntegerOr(p, "visits", 0)});
  }
  return out;
}

std::string ToJson(const LinkStats& stats) {
  json months = json::array();
  for (const auto& m : stats.months) months.push_back({{"month", m.month}, {"visits", m.visits}});
  return json{{"shortlink", stats.shortlink},
              {"total_visits", stats.total_visits},
              {"months", std::move(months)}}
      .dump();
}

Result<LinkStats> ParseLinkStats(std::string_view body) {
  auto j = ParseObject(body, "server answer");
  if (!j.ok()) return j.status();
  LinkStats out;
  auto shortlink = StringField(*j, "shortlink");
  if (!shortlink.ok()) return shortlink.status();
  if (!IsValidShortlink(*shortlink)) return InvalidArgument("field 'shortlink' is not a link");
  out.shortlink = std::move(shortlink).value();
  out.total_visits = IntegerOr(*j, "total_visits", 0);
  auto months = j->find("months");
  if (months == j->end() || !months->is_array()) {
    return InvalidArgument("field 'months' is missing or not a list");
  }
  for (const json& m : *months) {
    if (!m.is_object()) return InvalidArgument("field 'months' holds something not a month");
    auto name = OptionalStringField(m, "month");
    if (!name || !IsMonthName(*name)) return InvalidArgument("a month in 'months' is malformed");
    out.months.push_back({*name, IntegerOr(m, "visits", 0)});
  }
  return out;
}

std::string ErrorJson(const Status& status) {
  // Messages are built by us, but may quote user input: replace rather than
  // throw on invalid UTF-8.
  return json{{"error", {{"code", status.code_name()}, {"message", status.message()}}}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

Status ParseErrorJson(int http_status, std::string_view body) {
  Code code = CodeFromHttpStatus(http_status);
  std::string message;
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    auto err = j.find("error");
    if (err != j.end() && err->is_object()) {
      if (auto name = OptionalStringField(*err, "code")) {
        if (auto known = CodeFromName(*name)) code = *known;
      }
      message = OptionalStringField(*err, "message").value_or("");
    }
  }
  if (code == Code::kOk) code = Code::kInternal;
  if (message.empty()) {
    message = "the server answered HTTP " + std::to_string(http_status);
  }
  return Status(code, message);
}

bool IsErrorJson(std::string_view body) {
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  auto err = j.find("error");
  return err != j.end() && err->is_object() && OptionalStringField(*err, "code").has_value();
}

}  // namespace pastebin
