// pastebin put [FILE...] [--expire DURATION] [--json]
#include <errno.h>
#include <string.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "cli/command.h"
#include "cli/autostart.h"
#include "cli/http_client.h"
#include "common/duration.h"
#include "common/text.h"
#include "common/wire.h"

namespace pastebin {
namespace {

struct Input {
  std::string name;  // "standard input" or "file NAME", for messages
  std::string bytes;
};

class PutCommand : public Command {
 public:
  const char* Name() const override { return "put"; }
  const char* Summary() const override {
    return "Paste standard input or each FILE; print one URL a line";
  }

  void DefineFlags(CLI::App& app) override {
    app.add_option("FILE", files_,
                   "Files to paste, one paste each; '-' or none reads "
                   "standard input")
        ->type_name("");
    app.add_option("-e,--expire", expire_,
                   "Delete the paste after DURATION: 30m, 2h, 7d, 2w, a "
                   "number of minutes, or 'never' (the default)")
        ->type_name("DURATION");
    app.add_flag("--json", json_,
                 "Print the server's JSON answer (with delete_token) per "
                 "paste, one a line, instead of the URL");
  }

  int Run(const Globals& globals, Io& io) override {
    auto minutes = ExpiryToRequest(expire_, globals);
    if (!minutes.ok()) return Fail(io, kExitUsage, minutes.status().message());
    auto server = ServerFor(globals);
    if (!server.ok()) return Fail(io, kExitUsage, server.status().message());

    // Read and check every input before creating any paste, so a typo in
    // the third file name does not leave two stray pastes behind.
    std::vector<std::string> names = files_;
    if (names.empty()) names.push_back("-");
    if (std::count(names.begin(), names.end(), "-") > 1) {
      return Fail(io, kExitUsage, "standard input ('-') can be pasted once");
    }
    std::vector<Input> inputs;
    for (const std::string& name : names) {
      Input in;
      if (name == "-") {
        in.name = "standard input";
        if (io.in_is_terminal) {
          io.err << "pastebin: reading standard input; end with Ctrl-D\n";
        }
        in.bytes.assign(std::istreambuf_iterator<char>(io.in), {});
        if (io.in.bad()) {
          return Fail(io, kExitFailure, "cannot read standard input");
        }
      } else {
        in.name = "file " + name;
        std::ifstream f(name, std::ios::binary);
        if (!f) {
          return Fail(io, kExitFailure, "cannot read " + name + ": " +
                                            strerror(errno));
        }
        std::stringstream buf;
        buf << f.rdbuf();
        if (f.bad()) {
          return Fail(io, kExitFailure, "cannot read " + name + ": " +
                                            strerror(errno));
        }
        in.bytes = buf.str();
      }
      if (in.bytes.empty()) {
        return Fail(io, kExitRejected,
                    in.name + " is empty; there is nothing to paste");
      }
      Status text = CheckText(in.bytes, in.name);
      if (!text.ok()) return Fail(io, kExitRejected, text.message());
      inputs.push_back(std::move(in));
    }

    HttpClient client(*server);
    for (Input& in : inputs) {
      CreatePasteRequest req;
      req.paste_contents = std::move(in.bytes);
      req.expiration_length_in_minutes = *minutes;
      auto res = SendStartingServer(globals, io, client, "POST", "/api/v1/paste", ToJson(req),
                             "application/json");
      if (!res.ok()) return Fail(io, kExitUnreachable, res.status().message());
      if (!res->ok()) return FailFromServer(io, res->Error());
      auto created = ParsePasteCreated(res->body);
      if (!created.ok()) {
        return Fail(io, kExitServerError,
                    "unexpected answer from the server: " +
                        created.status().message());
      }
      if (json_) {
        io.out << res->body << "\n";
      } else {
        io.out << created->url << "\n";
      }
      io.out.flush();
      KeepDeleteToken(io, *created, json_);
    }
    if (!io.out) return Fail(io, kExitFailure, "cannot write standard output");
    return kExitOk;
  }

 private:
  std::vector<std::string> files_;
  std::string expire_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakePutCommand() {
  return std::make_unique<PutCommand>();
}

}  // namespace pastebin
