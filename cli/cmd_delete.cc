// pastebin delete LINK|URL [--token-file FILE]
#include <stdlib.h>

#include <CLI/CLI.hpp>

#include "cli/autostart.h"
#include "cli/command.h"
#include "cli/http_client.h"
#include "cli/token_store.h"
#include "common/shortlink.h"

namespace pastebin {
namespace {

class DeleteCommand : public Command {
 public:
  const char* Name() const override { return "delete"; }
  const char* Summary() const override {
    return "Delete a paste you created, with its saved delete token";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_option("LINK", link_, "The paste: its 7-character link, or the URL put printed")
        ->required();
    token_.Define(app, "");
    app.add_flag("--json", json_, "Print {\"shortlink\", \"deleted\": true} instead of a line");
  }

  int Run(const Globals& globals, Io& io) override {
    if (int gone = AlreadyGone(globals, io); gone >= 0) return gone;
    auto owned = ResolveOwned(globals, io, link_, token_);
    if (!owned.ok()) return Fail(io, kExitUsage, owned.status().message());
    const PasteRef* ref = &owned->ref;
    const std::string& token = owned->token;
    HttpClient client = ClientFor(globals, owned->server);
    auto res = SendStartingServer(globals, io, client, "DELETE",
                                  "/api/v1/paste?shortlink=" + ref->shortlink, "", "",
                                  {{"X-Delete-Token", token}});
    if (!res.ok()) return FailTransport(io, res.status());
    bool gone = res->ok() || (res->status == 404 && res->FromPastebin());
    if (gone) {
      // Deleted now or before: its saved token is of no more use.
      auto dropped = TokenStore::Default().Remove(
          [&](const SavedPaste& p) { return p.shortlink == ref->shortlink; });
      if (!dropped.ok()) {
        io.err << "pastebin: warning: could not forget " << ref->shortlink << "'s token ("
               << dropped.status().message() << ")\n";
      }
    }
    if (!res->ok()) return FailAnswer(io, *res);
    if (json_) {
      io.out << "{\"shortlink\":\"" << ref->shortlink << "\",\"deleted\":true}\n";
    } else {
      io.out << "deleted " << ref->shortlink << "\n";
    }
    io.out.flush();
    return kExitOk;
  }

 private:
  // A paste with no token saved here (deleted before, most likely): if the
  // server has no such paste, say so (exit 3) rather than ask for a token
  // it no longer needs; -1 to go on.
  int AlreadyGone(const Globals& globals, Io& io) {
    auto ref = ParsePasteRef(link_);
    if (!ref.ok() || !token_.token.empty() || !token_.file.empty()) return -1;
    if (const char* env = getenv("PASTEBIN_DELETE_TOKEN"); env && env[0]) return -1;
    if (TokenStore::Default().Find(ref->shortlink)) return -1;
    auto server = ServerFor(globals, *ref);
    if (!server.ok()) return -1;
    HttpClient client = ClientFor(globals, *server);
    // Asks without burning: a burn-after-reading paste is only looked at.
    auto res = client.Send("GET", "/api/v1/paste?shortlink=" + ref->shortlink);
    if (!res.ok() || res->status != 404 || !res->FromPastebin()) return -1;
    return Fail(io, kExitNotFound,
                "paste " + ref->shortlink + " does not exist on " + res->origin +
                    " (deleted already, or expired): there is nothing to delete");
  }

  std::string link_;
  DeleteTokenFlags token_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeDeleteCommand() { return std::make_unique<DeleteCommand>(); }

}  // namespace pastebin
