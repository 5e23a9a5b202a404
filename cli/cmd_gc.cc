// pastebin gc [--json]
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/http_client.h"
#include "common/wire.h"

namespace pastebin {
namespace {

std::string Count(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

class GcCommand : public Command {
 public:
  const char* Name() const override { return "gc"; }
  const char* Summary() const override {
    return "Make the server delete expired pastes now (for cron or a timer)";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_flag("--json", json_,
                 "Print the server's JSON answer: {\"deleted\", "
                 "\"bytes_freed\", \"orphans_removed\", \"missing_bodies\"}");
  }

  int Run(const Globals& globals, Io& io) override {
    auto server = ServerFor(globals);
    if (!server.ok()) return Fail(io, kExitUsage, server.status().message());
    HttpClient client = ClientFor(globals, *server);
    HeaderList headers;
    if (int failed = AddAdminProof(globals, io, client, "POST", "/api/v1/admin/gc", &headers)) {
      return failed;
    }
    auto res = client.Send("POST", "/api/v1/admin/gc", "", "application/json", headers);
    if (!res.ok()) return FailTransport(io, res.status());
    if (!res->ok()) return FailAnswer(io, *res);
    auto gc = ParseGcResult(res->body);
    if (!gc.ok()) {
      return FailBadAnswer(io, *res, gc.status());
    }
    if (json_) {
      io.out << ToJson(*gc) << "\n";
    } else {
      io.out << "deleted " << Count(gc->deleted, "expired paste", "expired pastes") << " and "
             << Count(gc->orphans_removed, "orphaned body", "orphaned bodies") << ", freed "
             << Count(gc->bytes_freed, "byte", "bytes") << "\n";
      if (gc->missing_bodies > 0) {
        io.out << "removed " << Count(gc->missing_bodies, "paste", "pastes")
               << " whose body was lost (see the server's log)\n";
      }
    }
    io.out.flush();
    return kExitOk;
  }

 private:
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeGcCommand() { return std::make_unique<GcCommand>(); }

}  // namespace pastebin
