// pastebin stats [--month YYYY-MM] [--top N] [--json]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "cli/command.h"
#include "cli/http_client.h"
#include "cli/output.h"
#include "cli/token_store.h"
#include "common/shortlink.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "common/wire.h"

namespace pastebin {
namespace {

class StatsCommand : public Command {
 public:
  const char* Name() const override { return "stats"; }
  const char* Summary() const override {
    return "Show monthly visits: every month, one month's pastes, or one paste of yours (LINK)";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_option("LINK", link_,
                   "One paste or short link you made: its visits by month, shown to whoever "
                   "holds its delete token (no admin token needed)");
    token_.Define(app, "With LINK, ");
    auto* month =
        app.add_option("-m,--month", month_, "Show this month's pastes, most visited first")
            ->type_name("YYYY-MM");
    app.add_option("-n,--top", top_, "How many pastes --month lists (default 100; 0 for all)")
        ->type_name("N")
        ->needs(month);
    app.add_flag("--json", json_, "Print the server's JSON answer");
  }

  int Run(const Globals& globals, Io& io) override {
    if (!link_.empty()) return RunForLink(globals, io);
    if (token_.given()) return Fail(io, kExitUsage, "--token and --token-file go with a LINK");
    if (!month_.empty() && !IsMonthName(month_)) {
      return Fail(io, kExitUsage,
                  "month '" + month_ +
                      "' is not a month; use YYYY-MM (e.g. "
                      "2026-11)");
    }
    if (top_set() && top_ < 0) {
      return Fail(io, kExitUsage, "--top must be 0 or more");
    }
    auto server = ServerFor(globals);
    if (!server.ok()) return Fail(io, kExitUsage, server.status().message());
    std::string path = "/api/v1/admin/stats";
    if (!month_.empty()) {
      path += "?month=" + month_;
      if (top_set()) path += "&top=" + std::to_string(top_);
    }
    HttpClient client = ClientFor(globals, *server);
    HeaderList headers;
    if (int failed = AddAdminProof(globals, io, client, "GET", path, &headers)) return failed;
    auto res = client.Send("GET", path, "", "", headers);
    if (!res.ok()) return FailTransport(io, res.status());
    if (!res->ok()) return FailAnswer(io, *res);
    return month_.empty() ? PrintMonths(io, *res) : PrintMonth(io, *res);
  }

 private:
  bool top_set() const { return top_ != kUnset; }

  // stats LINK: the owner's view of one paste, with its delete token.
  int RunForLink(const Globals& globals, Io& io) {
    if (!month_.empty()) return Fail(io, kExitUsage, "--month and --top do not go with a LINK");
    auto owned = ResolveOwned(globals, io, link_, token_);
    if (!owned.ok()) return Fail(io, kExitUsage, owned.status().message());
    const PasteRef* ref = &owned->ref;
    const std::string& token = owned->token;
    HttpClient client = ClientFor(globals, owned->server);
    auto res = client.Send("GET", "/api/v1/paste/stats?shortlink=" + ref->shortlink, "", "",
                           {{"X-Delete-Token", token}});
    if (!res.ok()) return FailTransport(io, res.status());
    if (!res->ok()) return FailAnswer(io, *res);
    auto stats = ParseLinkStats(res->body);
    if (!stats.ok()) return FailBadAnswer(io, *res, stats.status());
    if (json_) {
      io.out << ToJson(*stats) << "\n";
    } else {
      io.out << stats->shortlink << ": " << stats->total_visits
             << (stats->total_visits == 1 ? " visit" : " visits") << "\n";
      if (!stats->months.empty()) {
        std::vector<std::vector<std::string>> rows = {{"MONTH", "VISITS"}};
        for (const auto& m : stats->months) rows.push_back({m.month, std::to_string(m.visits)});
        io.out << Table(rows);
      }
    }
    io.out.flush();
    return io.out ? kExitOk : Fail(io, kExitFailure, "cannot write standard output");
  }

  int PrintMonths(Io& io, const HttpResponse& res) {
    auto stats = ParseStatsMonths(res.body);
    if (!stats.ok()) return FailBadAnswer(io, res, stats.status());
    if (json_) {
      io.out << ToJson(*stats) << "\n";
    } else if (stats->months.empty()) {
      io.out << "no visits yet\n";
    } else {
      std::vector<std::vector<std::string>> rows = {{"MONTH", "VISITS", "PASTES"}};
      for (const auto& m : stats->months) {
        rows.push_back({m.month, std::to_string(m.total_visits), std::to_string(m.pastes_visited)});
      }
      io.out << Table(rows);
    }
    if (!json_ && stats->storage) io.out << StorageLine(*stats->storage);
    io.out.flush();
    return kExitOk;
  }

  // "stored: 3 pastes, 101.2 KB pasted, 9.9 KB on disk (10%)"
  static std::string StorageLine(const StatsStorage& s) {
    std::string line = "stored: " + std::to_string(s.pastes) +
                       (s.pastes == 1 ? " paste, " : " pastes, ") + HumanBytes(s.bytes_pasted) +
                       " pasted, " + HumanBytes(s.bytes_stored) + " after compression";
    if (s.bytes_pasted > 0) {
      line += " (" + std::to_string((s.bytes_stored * 100 + s.bytes_pasted / 2) / s.bytes_pasted) +
              "%)";
    }
    return line + "\n";
  }

  int PrintMonth(Io& io, const HttpResponse& res) {
    auto stats = ParseStatsMonth(res.body);
    if (!stats.ok()) return FailBadAnswer(io, res, stats.status());
    if (json_) {
      io.out << ToJson(*stats) << "\n";
    } else {
      io.out << stats->month << ": " << stats->total_visits
             << (stats->total_visits == 1 ? " visit" : " visits") << " to " << stats->pastes_visited
             << (stats->pastes_visited == 1 ? " paste" : " pastes") << "\n";
      if (!stats->pastes.empty()) {
        std::vector<std::vector<std::string>> rows = {{"LINK", "VISITS"}};
        for (const auto& p : stats->pastes) {
          rows.push_back({p.shortlink, std::to_string(p.visits)});
        }
        io.out << Table(rows);
      }
    }
    io.out.flush();
    return kExitOk;
  }

  static constexpr int64_t kUnset = INT64_MIN;
  std::string month_;
  int64_t top_ = kUnset;
  bool json_ = false;
  std::string link_;
  DeleteTokenFlags token_;
};

}  // namespace

std::unique_ptr<Command> MakeStatsCommand() { return std::make_unique<StatsCommand>(); }

}  // namespace pastebin
