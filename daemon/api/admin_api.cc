#include "daemon/api/admin_api.h"

#include "common/admin_auth.h"
#include "common/version.h"
#include "common/wire.h"
#include "daemon/base/log.h"
#include "daemon/front/answer.h"

namespace pastebin {

void AdminApi::CollectGarbage(const HttpRequest& req, HttpResponse& res) {
  Status allowed = admin_.Check(req);
  if (!allowed.ok()) return SendError(req, res, allowed);
  auto stats = pastes_.CollectGarbage();
  if (!stats.ok()) return SendError(req, res, stats.status());
  LogInfo("gc: deleted " + std::to_string(stats->deleted) + " expired pastes and " +
          std::to_string(stats->orphans_removed) + " orphaned bodies, freed " +
          std::to_string(stats->bytes_freed) + " bytes; " + std::to_string(stats->missing_bodies) +
          " pastes had lost their body");
  GcResult out{stats->deleted, stats->bytes_freed, stats->orphans_removed, stats->missing_bodies};
  SendJson(res, 200, ToJson(out));
}

void AdminApi::Challenge(const HttpRequest& req, HttpResponse& res) {
  auto nonce = admin_.IssueNonce();
  if (!nonce.ok()) return SendError(req, res, nonce.status());
  res.SetHeader("Cache-Control", "no-store");
  SendJson(res, 200, ToJson(AdminChallenge{*nonce, kAdminNonceSeconds}));
}

void AdminApi::MetricsPage(const HttpRequest& req, HttpResponse& res) {
  Status allowed = admin_.Check(req);
  if (!allowed.ok()) return SendError(req, res, allowed);
  auto totals = pastes_.Totals();
  if (!totals.ok()) return SendError(req, res, totals.status());
  const WriteBatcher& b = pastes_.batcher();
  CommitTotals commits{static_cast<int64_t>(b.batches()), static_cast<int64_t>(b.rows()),
                       b.commit_seconds()};
  res.status = 200;
  res.SetContent(metrics_.Render(pastes_.counters(), *totals, commits, pastes_.ReadBatches(),
                                 pastes_.PageFetches(), start_time_, Version()),
                 "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace pastebin
