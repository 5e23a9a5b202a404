// pastebin get LINK|URL
#include <CLI/CLI.hpp>
#include <ctime>
#include <nlohmann/json.hpp>

#include "cli/autostart.h"
#include "cli/command.h"
#include "cli/http_client.h"
#include "cli/output.h"
#include "cli/token_store.h"
#include "common/sealed.h"
#include "common/shortlink.h"
#include "common/time_format.h"
#include "common/url.h"
#include "common/wire.h"

namespace pastebin {
namespace {

// Passes a paste's bytes on to out as they arrive, unless they begin as
// an encrypted paste does: then it keeps them back, for without its key
// such a paste is noise (see NoKey).
class SealedGuard : public std::streambuf {
 public:
  explicit SealedGuard(std::ostream& out) : out_(out) {}
  // Call once the body is in: passes on what is still held (a body shorter
  // than the prefix). True when the body was an encrypted paste's.
  bool Finish() {
    if (!decided_) Decide();
    return sealed_;
  }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::string_view in(s, static_cast<size_t>(n));
    if (!decided_) {
      size_t need = sizeof(kSealedPrefix) - 1 - head_.size();
      head_.append(in.substr(0, need));
      in.remove_prefix(std::min(need, in.size()));
      if (head_.size() < sizeof(kSealedPrefix) - 1) return n;
      Decide();
    }
    if (!sealed_) out_.write(in.data(), static_cast<std::streamsize>(in.size()));
    return out_ ? n : 0;
  }
  int overflow(int c) override {
    if (c == traits_type::eof()) return 0;
    char ch = static_cast<char>(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
  }

 private:
  void Decide() {
    decided_ = true;
    sealed_ = IsSealed(head_);
    if (!sealed_) out_.write(head_.data(), static_cast<std::streamsize>(head_.size()));
  }

  std::ostream& out_;
  std::string head_;
  bool decided_ = false, sealed_ = false;
};

// An encrypted paste asked for by a link without its key.
int NoKey(Io& io, const PasteRef& ref) {
  return Fail(io, kExitUsage,
              "paste " + ref.shortlink +
                  " is encrypted, and this link has no key: use the whole link put printed (with "
                  "its #...)");
}

// A burn-after-reading paste's one reading (X-Burned) was this answer: the
// reader is told it is gone now, and it is noted (TokenStore::NoteBurned)
// so that asking again says so.
void NoteIfBurned(Io& io, const HttpClient& client, const PasteRef& ref, const HttpResponse& res) {
  if (!res.burned) return;
  io.err << "pastebin: note: paste " << ref.shortlink
         << " burned after reading: this was its one reading, and it is deleted now\n";
  TokenStore::Default()
      .NoteBurned(client.server().Base() + "/" + ref.shortlink, FormatRfc3339(time(nullptr)))
      .ok();  // a note only: the paste was read all the same
}

// A 404 for a paste that burned: said as such, when this user read it
// here or made it to burn; else as any other failed answer.
int FailGone(Io& io, const HttpClient& client, const PasteRef& ref, const HttpResponse& res) {
  if (res.status != 404 || !res.FromPastebin()) return FailAnswer(io, res);
  std::string url = client.server().Base() + "/" + ref.shortlink;
  TokenStore tokens = TokenStore::Default();
  if (auto when = tokens.BurnedAt(url)) {
    return Fail(io, kExitNotFound,
                "paste " + ref.shortlink + " burned after reading: it was read here at " + *when +
                    ", and that one reading deleted it");
  }
  for (const SavedPaste& p : tokens.List()) {
    if (p.burns && p.shortlink == ref.shortlink && p.url.substr(0, p.url.find('#')) == url) {
      return Fail(io, kExitNotFound,
                  "paste " + ref.shortlink + " does not exist on " + client.server().Base() +
                      ": you made it to burn after reading, so its first reading deleted it "
                      "(unless it expired or was deleted first)");
    }
  }
  return FailAnswer(io, res);
}

// Opens an encrypted paste's body with the link's key (and a password when
// it needs one) into *plain; the exit status: kExitOk, or the failure told.
// Refuses a paste asking for more rounds than pastebin makes before any.
int OpenSealed(Io& io, const PasteRef& ref, const std::string& body, std::string* plain) {
  if (Status rounds = CheckRounds(body); !rounds.ok()) {
    return Fail(io, kExitUsage, rounds.message());
  }
  std::string password;
  if (NeedsPassword(body)) {
    auto asked = AskPassword("password for " + ref.shortlink + ": ", /*confirm=*/false);
    if (!asked.ok()) return Fail(io, kExitUsage, asked.status().message());
    password = *asked;
  }
  auto opened = Unseal(body, ref.fragment, password);
  if (!opened.ok()) {
    return Fail(io, opened.status().code() == Code::kForbidden ? kExitRejected : kExitUsage,
                opened.status().message());
  }
  *plain = std::move(opened).value();
  return kExitOk;
}

class GetCommand : public Command {
 public:
  const char* Name() const override { return "get"; }
  const char* Summary() const override {
    return "Print a paste's exact bytes (a short link's target) to standard output";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_option("LINK", link_, "The paste: its 7-character link, or the URL put printed")
        ->required();
    app.add_flag("--json", json_,
                 "Print one JSON object instead of the bytes: shortlink, url, created_at, "
                 "expires_at, expiration_length_in_minutes, bytes and paste_contents (or "
                 "target, for a short link)");
  }

  int Run(const Globals& globals, Io& io) override {
    auto ref = ParsePasteRef(link_);
    if (!ref.ok()) return Fail(io, kExitUsage, ref.status().message());
    auto server = ServerFor(globals, *ref);
    if (!server.ok()) return Fail(io, kExitUsage, server.status().message());

    HttpClient client = ClientFor(globals, *server);
    if (json_) return GetJson(globals, io, client, *ref);
    if (!ref->fragment.empty()) return GetSealed(globals, io, client, *ref);
    // The paste goes to standard output as it arrives, never all in memory.
    // burn=yes: get is asking outright, so a burn-after-reading paste is
    // read (and gone); a link preview, which asks for nothing, leaves it.
    SealedGuard guard(io.out);
    std::ostream guarded(&guard);
    auto res = SendStartingServer(globals, io, client, "GET", "/" + ref->shortlink + "?burn=yes",
                                  "", "", {{"Accept", "text/plain"}}, &guarded);
    if (!res.ok()) return FailTransport(io, res.status());
    if (res->sink_failed) return Fail(io, kExitFailure, "cannot write standard output");
    NoteIfBurned(io, client, *ref, *res);
    if (res->ok() && guard.Finish()) return NoKey(io, *ref);
    // A short link: what it points at is its content. pasted's redirect
    // says where it goes in its body too; any other redirect (http to
    // https, a moved site) is not a short link.
    if (res->status == 302 && !res->location.empty() &&
        res->body == "Redirecting to " + res->location + "\n") {
      if (!CheckLinkTarget(res->location).ok()) {
        return Fail(io, kExitServerError,
                    "the server redirected to something that is not an http(s) URL");
      }
      io.out << res->location << "\n";
      io.out.flush();
      return io.out ? kExitOk : Fail(io, kExitFailure, "cannot write standard output");
    }
    if (!res->ok()) return FailGone(io, client, *ref, *res);
    io.out.flush();
    if (!io.out) return Fail(io, kExitFailure, "cannot write standard output");
    return kExitOk;
  }

 private:
  // --json: the paste's JSON from the API (its times as RFC 3339), with its
  // URL and size; an encrypted one opened with the link's key; a short
  // link's target.
  int GetJson(const Globals& globals, Io& io, const HttpClient& client, const PasteRef& ref) {
    std::string url = client.server().Base() + "/" + ref.shortlink;
    const auto& time = Rfc3339Json;
    auto res = SendStartingServer(globals, io, client, "GET",
                                  "/api/v1/paste?burn=yes&shortlink=" + ref.shortlink);
    if (!res.ok()) return FailTransport(io, res.status());
    if (res->status == 404 && res->FromPastebin() &&
        res->body.find("is a short link") != std::string::npos) {
      auto link = client.Send("GET", "/api/v1/link?shortlink=" + ref.shortlink);
      if (!link.ok()) return FailTransport(io, link.status());
      if (!link->ok()) return FailAnswer(io, *link);
      auto view = ParseLinkView(link->body);
      if (!view.ok()) return FailBadAnswer(io, *link, view.status());
      nlohmann::json j = {{"shortlink", view->shortlink},
                          {"url", url},
                          {"created_at", time(view->created_at)},
                          {"expires_at", time(view->expires_at)},
                          {"expiration_length_in_minutes", view->expiration_length_in_minutes},
                          {"target", view->target}};
      io.out << j.dump() << "\n";
      io.out.flush();
      return io.out ? kExitOk : Fail(io, kExitFailure, "cannot write standard output");
    }
    if (!res->ok()) return FailGone(io, client, ref, *res);
    NoteIfBurned(io, client, ref, *res);
    auto view = ParsePasteView(res->body);
    if (!view.ok()) return FailBadAnswer(io, *res, view.status());
    std::string contents = std::move(view->paste_contents);
    if (IsSealed(contents)) {
      if (ref.fragment.empty()) return NoKey(io, ref);
      std::string plain;
      if (int failed = OpenSealed(io, ref, contents, &plain); failed != kExitOk) return failed;
      contents = std::move(plain);
    }
    nlohmann::json j = {{"shortlink", view->shortlink},
                        {"url", url},
                        {"created_at", time(view->created_at)},
                        {"expires_at", time(view->expires_at)},
                        {"expiration_length_in_minutes", view->expiration_length_in_minutes},
                        {"bytes", contents.size()},
                        {"paste_contents", contents}};
    io.out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    io.out.flush();
    return io.out ? kExitOk : Fail(io, kExitFailure, "cannot write standard output");
  }

  // LINK#KEY: an encrypted paste, opened here (see common/sealed.h).
  int GetSealed(const Globals& globals, Io& io, const HttpClient& client, const PasteRef& ref) {
    auto res = SendStartingServer(globals, io, client, "GET", "/" + ref.shortlink + "?burn=yes", "",
                                  "", {{"Accept", "text/plain"}});
    if (!res.ok()) return FailTransport(io, res.status());
    if (!res->ok()) return FailGone(io, client, ref, *res);
    NoteIfBurned(io, client, ref, *res);
    if (!IsSealed(res->body)) {
      return Fail(io, kExitFailure,
                  "paste " + ref.shortlink +
                      " is not encrypted; drop the #... from its link to get it as it is");
    }
    std::string plain;
    if (int failed = OpenSealed(io, ref, res->body, &plain); failed != kExitOk) return failed;
    io.out << plain;
    io.out.flush();
    return io.out ? kExitOk : Fail(io, kExitFailure, "cannot write standard output");
  }

  std::string link_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeGetCommand() { return std::make_unique<GetCommand>(); }

}  // namespace pastebin
