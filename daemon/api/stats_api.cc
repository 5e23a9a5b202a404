#include "daemon/api/stats_api.h"

#include "common/wire.h"
#include "daemon/api/paste_api.h"
#include "daemon/front/answer.h"
#include "daemon/stats/log_line.h"

namespace pastebin {
namespace {

// Pastes listed for one month when the request names no ?top.
constexpr size_t kDefaultStatsTop = 100;

}  // namespace

void StatsApi::PasteStats(const HttpRequest& req, HttpResponse& res) {
  auto shortlink = ShortlinkParam(req, res);
  if (!shortlink) return;
  Status owner = pastes_.CheckOwner(*shortlink, req.Header("X-Delete-Token"), "the statistics of");
  if (!owner.ok()) return SendError(req, res, owner);
  // Count every visit served up to now before answering.
  auto rolled = rollup_.Run();
  if (!rolled.ok()) return SendError(req, res, rolled.status());
  auto stats = stats_.LinkMonths(*shortlink);
  if (!stats.ok()) return SendError(req, res, stats.status());
  res.SetHeader("Cache-Control", "no-store");
  SendJson(res, 200, ToJson(*stats));
}

void StatsApi::AdminStats(const HttpRequest& req, HttpResponse& res) {
  Status allowed = admin_.Check(req);
  if (!allowed.ok()) return SendError(req, res, allowed);
  std::optional<std::string> month;
  if (req.HasParam("month")) {
    month = req.Param("month");
    if (!ParseMonthName(*month)) {
      return SendError(
          req, res,
          InvalidArgument("month '" + *month + "' is not a month; use YYYY-MM (e.g. 2026-11)"));
    }
  }
  size_t top = kDefaultStatsTop;
  if (req.HasParam("top")) {
    std::string t = req.Param("top");
    bool digits =
        !t.empty() && t.size() <= 9 && t.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      return SendError(
          req, res,
          InvalidArgument("top '" + t + "' is not a number; use a count of pastes, or 0 for all"));
    }
    top = static_cast<size_t>(std::stoul(t));
  }
  // Count every visit served up to now before answering.
  auto rolled = rollup_.Run();
  if (!rolled.ok()) return SendError(req, res, rolled.status());
  if (!month) {
    auto months = stats_.Months();
    if (!months.ok()) return SendError(req, res, months.status());
    auto totals = pastes_.Totals();
    if (!totals.ok()) return SendError(req, res, totals.status());
    months->storage = StatsStorage{totals->pastes, totals->bytes, totals->stored_bytes};
    return SendJson(res, 200, ToJson(*months));
  }
  auto report = stats_.Month(*month, top);
  if (!report.ok()) return SendError(req, res, report.status());
  SendJson(res, 200, ToJson(*report));
}

}  // namespace pastebin
