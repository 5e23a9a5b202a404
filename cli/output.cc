#include "cli/output.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "common/qr.h"
#include "common/time_format.h"

namespace pastebin {

std::string Table(const std::vector<std::vector<std::string>>& rows, bool numbers) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - row[i].size(), ' ');
      if (i > 0) line += "  ";
      bool right = numbers && i > 0;
      line += right ? pad + row[i] : row[i] + pad;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

nlohmann::json Rfc3339Json(const std::optional<std::string>& t) {
  if (!t) return nullptr;
  auto normal = NormalizeToRfc3339(*t);
  return normal ? nlohmann::json(*normal) : nlohmann::json(nullptr);
}

std::string CreatedJson(const PasteCreated& c, const std::optional<std::string>& file) {
  const auto& time = Rfc3339Json;
  nlohmann::json j = {{"shortlink", c.shortlink},
                      {"url", c.url},
                      {"created_at", time(c.created_at)},
                      {"expires_at", time(c.expires_at)},
                      {"expiration_length_in_minutes", c.expiration_length_in_minutes},
                      {"delete_token", c.delete_token}};
  if (c.target) j["target"] = *c.target;
  if (file) j["file"] = *file;
  return j.dump();
}

std::string QrText(const std::string& url) {
  auto qr = EncodeQr(url);
  return qr.ok() ? QrForTerminal(*qr) : "";
}

std::string CliErrorJson(int exit_status, const std::string& message) {
  const char* code = "failure";
  switch (exit_status) {
    case kExitUsage:
      code = "usage";
      break;
    case kExitNotFound:
      code = "not_found";
      break;
    case kExitUnreachable:
      code = "unreachable";
      break;
    case kExitRejected:
      code = "rejected";
      break;
    case kExitServerError:
      code = "server_error";
      break;
    default:
      break;
  }
  nlohmann::json j = {
      {"error", {{"code", code}, {"exit_status", exit_status}, {"message", message}}}};
  return j.dump();
}

}  // namespace pastebin
