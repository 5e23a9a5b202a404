#include "tests/daemon/harness/desk_harness.h"

#include <chrono>
#include <future>
#include <stdexcept>

#include "daemon/front/paste_answer.h"
#include "daemon/token.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace testing {
namespace {

AdminPolicy HarnessAdmin() {
  AdminPolicy p;
  p.token_hash = HashToken(kHarnessAdminToken);
  p.own_uid = 4242;  // no test runs as it
  return p;
}

TrustedProxies ProxiesOf(const std::string& list) {
  auto p = TrustedProxies::Parse(list);
  if (!p.ok()) throw std::runtime_error(p.status().message());
  return std::move(p).value();
}

std::unique_ptr<AccessLog> OpenLog(const std::string& path) {
  auto log = AccessLog::Open(path, SystemRandom());
  if (!log.ok()) throw std::runtime_error(log.status().message());
  return std::move(log).value();
}

}  // namespace

DeskHarness::DeskHarness(DeskOptions o)
    : metadata(o.fetch_later),
      pastes(metadata, FileBodies(), clock, SystemRandom(), o.limits, AddValidators, &answers),
      log(OpenLog(dir / "access.log")),
      rollup(stats, dir / "access.log", clock, [this] { return log->Flush(); }),
      admin(HarnessAdmin(), clock, SystemRandom()),
      writes(o.rate_limit, o.rate_limit_burst, clock, 64, "pastes"),
      misses(o.miss_limit, o.miss_limit_burst, clock, 64, "lookups of pastes that do not exist"),
      links(o.public_url, "http", "127.0.0.1", 8077),
      readiness(pastes, "memory"),
      groups(HandlerDeps{pastes, links, Freshness{clock, o.max_age}, rollup, stats, admin, metrics,
                         readiness, kHarnessNow, answers}),
      desk(groups.Routes(),
           FrontDeskLimits{static_cast<size_t>(o.limits.max_paste_bytes), 64 << 20},
           ProxiesOf(o.trusted_proxies), writes, misses, *log, metrics, clock) {}

HttpRequest DeskHarness::Request(std::string method, std::string target,
                                 std::vector<std::pair<std::string, std::string>> headers,
                                 std::string body) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  size_t q = r.target.find('?');
  r.path = PercentDecode(std::string_view(r.target).substr(0, q), false);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  r.headers.emplace_back("Host", "paste.test");
  for (auto& h : headers) r.headers.push_back(std::move(h));
  r.authority = "paste.test";
  r.remote_addr = "192.0.2.1";
  r.body = std::move(body);
  return r;
}

HttpResponse DeskHarness::Serve(HttpRequest req) {
  desk.Admit(req);
  req.admitted = true;
  req.received = std::chrono::steady_clock::now();
  HttpResponse res;
  if (!desk.MayBlock(req)) {
    // On the loop: a deferred answer comes through answer_later (from the
    // committer thread), or the request runs again on the loop with what
    // run_again_later was given (from the store's thread).
    struct Later {
      HttpRequest::BuildAnswer build;
      std::shared_ptr<const void> fetched;
    };
    for (;;) {
      auto later = std::make_shared<std::promise<Later>>();
      req.may_block = false;
      req.answer_later = [later](HttpRequest::BuildAnswer build) {
        later->set_value(Later{std::move(build), nullptr});
      };
      req.run_again_later = [later](std::shared_ptr<const void> fetched) {
        later->set_value(Later{nullptr, std::move(fetched)});
      };
      desk.Handle(req, res);
      req.answer_later = nullptr;
      req.run_again_later = nullptr;
      if (!res.deferred) break;
      auto future = later->get_future();
      if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        throw std::runtime_error("a deferred answer never came");
      }
      Later came = future.get();
      if (came.build) {
        HttpResponse built;
        came.build(req, built);
        desk.Answered(req, built);
        return built;
      }
      req.fetched = std::move(came.fetched);
      res = HttpResponse();  // again, on the loop
    }
    if (!res.would_block) {
      desk.Answered(req, res);
      return res;
    }
    res = HttpResponse();  // again, on a reader
  }
  req.may_block = true;
  desk.Handle(req, res);
  desk.Answered(req, res);
  return res;
}

std::string DeskHarness::Put(const std::string& contents, PasteOptions options) {
  auto created = pastes.Create(contents, std::nullopt, options);
  if (!created.ok()) throw std::runtime_error(created.status().message());
  return created->record.shortlink;
}

std::string DeskHarness::AccessLogText() {
  Status s = log->Flush();
  if (!s.ok()) throw std::runtime_error(s.message());
  return ReadFile(dir / "access.log");
}

std::string HeaderOf(const HttpResponse& res, const std::string& name) {
  for (const auto& [n, v] : res.headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return "";
}

}  // namespace testing
}  // namespace pastebin
