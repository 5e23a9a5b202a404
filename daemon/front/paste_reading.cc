#include "daemon/front/paste_reading.h"

#include "common/strings.h"
#include "daemon/pages/pages.h"

namespace pastebin {

void SendBurned(const StoredPaste& paste, HttpResponse& res) {
  res.status = 200;
  res.SetHeader("Cache-Control", "no-store");
  res.SetContent(paste.contents, "text/plain; charset=utf-8");
}

std::shared_ptr<const StoredPaste> PasteReading::Find(const HttpRequest& req,
                                                      std::string_view shortlink, Dialect dialect,
                                                      HttpResponse& res) const {
  // A second run, with the row fetched for it (the only thing
  // run_again_later is given here).
  const auto* fetched = static_cast<const FetchedRow*>(req.fetched.get());
  if (fetched && fetched->shortlink != shortlink) fetched = nullptr;
  auto paste = pastes_.Get(shortlink, req.may_block, fetched);
  if (paste.status().code() == Code::kWouldBlock) {
    // A store that fetches rows together answers later, on the loop; else
    // a reader asks (and loads what is too big for the loop).
    if (!fetched && req.run_again_later &&
        pastes_.FetchLater(shortlink, [again = req.run_again_later](
                                          std::shared_ptr<const FetchedRow> row) { again(row); })) {
      res.deferred = true;
      return nullptr;
    }
    res.would_block = true;
    return nullptr;
  }
  if (!paste.ok()) {
    SendError(req, res, paste.status(), dialect);
    return nullptr;
  }
  return *paste;
}

std::shared_ptr<const StoredPaste> PasteReading::TakeIfBurning(
    const HttpRequest& req, std::shared_ptr<const StoredPaste> paste, BrowserBurn browsers,
    Dialect dialect, HttpResponse& res) const {
  if (!paste->record.burn_after_reading) return paste;
  res.SetHeader("Cache-Control", "no-store");
  if (req.method == "HEAD") {  // the length only: the body is not sent
    SendBurned(*paste, res);
    return nullptr;
  }
  const std::string& link = paste->record.shortlink;
  if (!ReadsOutright(req)) {
    if (browsers == BrowserBurn::kAsk && AcceptsHtml(req)) {
      SetPageHeaders(res);
      res.status = 200;
      res.SetContent(BurnPage(link), "text/html; charset=utf-8");
      return nullptr;
    }
    SendError(req, res,
              Status(Code::kConflict,
                     "paste " + link +
                         " burns after reading: it is deleted as it is read, so it is given out "
                         "only when asked for outright (a link preview or a prefetch would "
                         "burn it): add ?burn=yes, or POST /burn/" +
                         link + ", or use pastebin get"),
              dialect);
    return nullptr;
  }
  if (!req.may_block) {  // a delete: a worker's job
    res.would_block = true;
    return nullptr;
  }
  auto taken = pastes_.Burn(link, &paste->record);
  if (!taken.ok()) {
    SendError(req, res, taken.status(), dialect);
    return nullptr;
  }
  res.SetHeader("X-Burned", "yes");
  return *taken;
}

bool ReadsOutright(const HttpRequest& req) {
  if (req.method == "POST") return true;
  auto burn = QueryParam(req.query, "burn");
  return burn && ParseBool(*burn).value_or(false);
}

}  // namespace pastebin
