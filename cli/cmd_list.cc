// pastebin list [--json]
#include <CLI/CLI.hpp>
#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "cli/http_client.h"
#include "cli/output.h"
#include "cli/token_store.h"
#include "common/shortlink.h"
#include "common/text.h"

namespace pastebin {
namespace {

// Servers asked at once; each paste is one HEAD request.
constexpr size_t kParallelChecks = 8;
// Regression: against a hostile server list reached 1.6 GB; what it may
// hold of one answer is this, and each exchange is bounded in time too.
constexpr size_t kSmallAnswer = 64 << 10;

enum class State { kThere, kGone, kUnknown };

const char* StateName(State s) {
  switch (s) {
    case State::kThere:
      return "there";
    case State::kGone:
      return "gone";
    default:
      return "unknown";
  }
}

// What list says a saved paste is: "paste", "link", with "burns" and
// "encrypted" where they apply; "-" when its line did not say.
std::string KindText(const SavedPaste& p) {
  if (!p.kind_saved) return "-";
  std::string kind = p.link ? "link" : "paste";
  if (p.burns) kind += ",burns";
  if (p.encrypted) kind += ",encrypted";
  return kind;
}

class ListCommand : public Command {
 public:
  const char* Name() const override { return "list"; }
  const char* Summary() const override {
    return "List the pastes and short links you made (from the saved delete tokens): link, "
           "created, expiry, whether it is still there, kind (burns, encrypted) and file name; "
           "gone ones are forgotten";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_flag(
        "--json", json_,
        "Print a JSON object per paste, one a line: shortlink, url, created_at, "
        "expires_at, state, and (for pastes saved by this version on) kind, burns, encrypted, "
        "name");
  }

  int Run(const Globals& globals, Io& io) override {
    TokenStore store = TokenStore::Default();
    std::vector<SavedPaste> saved = store.List();
    if (saved.empty()) {
      if (!json_) {
        io.out << "no pastes saved yet; put and shorten keep each one's link and delete token in "
               << (store.path().empty() ? "the token file" : store.path()) << "\n";
      }
      io.out.flush();
      return io.out ? kExitOk : Fail(io, kExitFailure, "cannot write standard output");
    }
    std::vector<State> states = Check(globals, saved);

    std::vector<std::vector<std::string>> rows = {
        {"URL", "CREATED", "EXPIRES", "STATE", "KIND", "NAME"}};
    for (size_t i = 0; i < saved.size(); ++i) {
      const SavedPaste& p = saved[i];
      if (json_) {
        nlohmann::json j = {{"shortlink", p.shortlink}, {"url", p.url}};
        if (!p.created_at.empty()) j["created_at"] = p.created_at;
        if (!p.expires_at.empty()) {
          j["expires_at"] =
              p.expires_at == "never" ? nlohmann::json(nullptr) : nlohmann::json(p.expires_at);
        }
        j["state"] = StateName(states[i]);
        if (p.kind_saved) {  // older entries did not say
          j["kind"] = p.link ? "link" : "paste";
          j["burns"] = p.burns;
          j["encrypted"] = p.encrypted;
          j["name"] = p.name.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.name);
        }
        io.out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      } else {
        rows.push_back({p.url, p.created_at.empty() ? "-" : p.created_at,
                        p.expires_at.empty() ? "-" : p.expires_at, StateName(states[i]),
                        KindText(p), p.name.empty() ? "-" : EscapeControls(p.name)});
      }
    }
    if (!json_) io.out << Table(rows, /*numbers=*/false);
    io.out.flush();
    // Why a state is unknown: the server did not answer (and what to do).
    for (const auto& [base, why] : unreachable_) {
      io.err << "pastebin: note: the state of pastes on " << base << " is unknown: " << why << "\n";
    }
    if (!io.out) return Fail(io, kExitFailure, "cannot write standard output");

    // What its server says is gone is gone for good: forget it.
    std::set<std::string> gone;
    for (size_t i = 0; i < saved.size(); ++i) {
      if (states[i] == State::kGone) gone.insert(saved[i].url);
    }
    if (!gone.empty()) {
      auto dropped = store.Remove([&](const SavedPaste& p) { return gone.count(p.url) > 0; });
      if (!dropped.ok()) {
        return Fail(io, kExitFailure,
                    "cannot forget the gone pastes: " + dropped.status().message());
      }
    }
    return kExitOk;
  }

 private:
  std::map<std::string, std::string> unreachable_;  // server base -> why not

  // Asks each paste's server about it (HEAD, which is no visit), a few at a
  // time. A 404 counts as gone only from a server that answers as pasted
  // does (GET /api/v1/info, asked once a server).
  std::vector<State> Check(const Globals& globals, const std::vector<SavedPaste>& saved) {
    std::vector<State> states(saved.size(), State::kUnknown);
    std::atomic<size_t> next{0};
    std::mutex mu;
    std::map<std::string, bool> is_pastebin;  // by server base, under mu
    auto work = [&] {
      for (size_t i; (i = next++) < saved.size();) {
        auto ref = ParsePasteRef(saved[i].url);
        if (!ref.ok() || ref->base.empty()) continue;
        auto server = ServerFor(globals, *ref);  // the local one only through a listener of ours
        if (!server.ok()) continue;
        HttpClient client = ClientFor(globals, *server);
        client.set_max_answer_bytes(kSmallAnswer);  // a HEAD, and /api/v1/info
        auto res = client.Send("HEAD", "/" + ref->shortlink);
        if (!res.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          unreachable_[server->Base()] = res.status().message();
          continue;
        }
        if (res->ok() || res->status == 302) {
          states[i] = State::kThere;
        } else if (res->status == 404) {
          std::unique_lock<std::mutex> lock(mu);
          auto known = is_pastebin.find(ref->base);
          if (known == is_pastebin.end()) {
            lock.unlock();
            auto info = client.Send("GET", "/api/v1/info");
            bool pastebin = info.ok() && info->ok() && ParseServerInfo(info->body).ok();
            lock.lock();
            known = is_pastebin.emplace(ref->base, pastebin).first;
          }
          if (known->second) states[i] = State::kGone;
        }
      }
    };
    std::vector<std::thread> threads;
    for (size_t t = 0; t < std::min(kParallelChecks, saved.size()); ++t) threads.emplace_back(work);
    for (auto& t : threads) t.join();
    return states;
  }

  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeListCommand() { return std::make_unique<ListCommand>(); }

}  // namespace pastebin
