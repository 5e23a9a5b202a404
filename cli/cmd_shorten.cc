// pastebin shorten URL [--expire DURATION] [--json]
#include <CLI/CLI.hpp>

#include "cli/autostart.h"
#include "cli/command.h"
#include "cli/http_client.h"
#include "cli/output.h"
#include "common/duration.h"
#include "common/url.h"
#include "common/wire.h"

namespace pastebin {
namespace {

class ShortenCommand : public Command {
 public:
  const char* Name() const override { return "shorten"; }
  const char* Summary() const override {
    return "Make a short link that redirects to URL; print it";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_option("URL", url_, "An http:// or https:// URL")->required();
    app.add_option("-e,--expire", expire_,
                   "Delete the link after DURATION (30m, 2h, 7d, 2w, or never)")
        ->type_name("DURATION")
        ->check(NonEmptyDuration);
    app.add_flag("--qr", qr_, "Also draw the link as a QR code, for a phone to scan");
    app.add_flag("--json", json_, "Print the server's answer as a JSON line instead of the link");
  }

  int Run(const Globals& globals, Io& io) override {
    if (qr_ && json_) return Fail(io, kExitUsage, "--qr draws for people; --json is for programs");
    Status valid = CheckLinkTarget(url_);
    if (!valid.ok()) return Fail(io, kExitUsage, valid.message());
    CreateLinkRequest req;
    req.url = url_;
    auto minutes = ExpiryToRequest(expire_, globals);
    if (!minutes.ok()) return Fail(io, kExitUsage, minutes.status().message());
    req.expiration_length_in_minutes = *minutes;
    auto server = ServerFor(globals);
    if (!server.ok()) return Fail(io, kExitUsage, server.status().message());
    HttpClient client = ClientFor(globals, *server);
    auto res = SendStartingServer(globals, io, client, "POST", "/api/v1/link", ToJson(req),
                                  "application/json");
    if (!res.ok()) return FailTransport(io, res.status());
    if (!res->ok()) return FailAnswer(io, *res);
    auto created = ParsePasteCreated(res->body);
    if (!created.ok()) {
      return FailBadAnswer(io, *res, created.status());
    }
    io.out << (json_ ? CreatedJson(*created, std::nullopt) : created->url) << "\n";
    if (qr_) io.out << QrText(created->url);
    io.out.flush();
    KeepDeleteToken(io, *created, json_, SavedPaste{});
    return kExitOk;
  }

 private:
  std::string url_;
  std::string expire_;
  bool json_ = false;
  bool qr_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeShortenCommand() { return std::make_unique<ShortenCommand>(); }

}  // namespace pastebin
