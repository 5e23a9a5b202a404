// pastebin get LINK|URL
#include <CLI/CLI.hpp>

#include "cli/autostart.h"
#include "cli/command.h"
#include "cli/http_client.h"
#include "common/shortlink.h"
#include "common/url.h"

namespace pastebin {
namespace {

class GetCommand : public Command {
 public:
  const char* Name() const override { return "get"; }
  const char* Summary() const override {
    return "Print a paste's exact bytes (a short link's target) to standard output";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_option("LINK", link_, "The paste: its 7-character link, or the URL put printed")
        ->required();
  }

  int Run(const Globals& globals, Io& io) override {
    auto ref = ParsePasteRef(link_);
    if (!ref.ok()) return Fail(io, kExitUsage, ref.status().message());
    auto server = ServerFor(globals, *ref);
    if (!server.ok()) return Fail(io, kExitUsage, server.status().message());

    HttpClient client = ClientFor(globals, *server);
    // The paste goes to standard output as it arrives, never all in memory.
    auto res = SendStartingServer(globals, io, client, "GET", "/" + ref->shortlink, "", "",
                                  {{"Accept", "text/plain"}}, &io.out);
    if (!res.ok()) return FailTransport(io, res.status());
    if (res->sink_failed) return Fail(io, kExitFailure, "cannot write standard output");
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
    if (!res->ok()) return FailAnswer(io, *res);
    io.out.flush();
    if (!io.out) return Fail(io, kExitFailure, "cannot write standard output");
    return kExitOk;
  }

 private:
  std::string link_;
};

}  // namespace

std::unique_ptr<Command> MakeGetCommand() { return std::make_unique<GetCommand>(); }

}  // namespace pastebin
