#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <vector>

#include "cli/token_store.h"
#include "common/duration.h"
#include "common/shortlink.h"
#include "common/text.h"
#include "common/version.h"
#include "common/wire.h"

namespace pastebin {
namespace {

// Every subcommand, in the order --help lists them.
std::vector<std::unique_ptr<Command>> MakeCommands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(MakePutCommand());
  commands.push_back(MakeGetCommand());
  commands.push_back(MakeShortenCommand());
  commands.push_back(MakeDeleteCommand());
  commands.push_back(MakeGcCommand());
  commands.push_back(MakeStatsCommand());
  commands.push_back(MakeDaemonCommand());
  return commands;
}

}  // namespace

int Fail(Io& io, int exit_code, const std::string& message) {
  io.err << "pastebin: error: " << EscapeControls(message) << "\n";
  io.err.flush();
  return exit_code;
}

int FailFromServer(Io& io, const Status& status) {
  return Fail(io, ExitCodeForServerError(status), status.message());
}

int FailTransport(Io& io, const Status& status) {
  return Fail(io, status.code() == Code::kUnavailable ? kExitUnreachable : kExitServerError,
              status.message());
}

void KeepDeleteToken(Io& io, const PasteCreated& created, bool quiet) {
  if (created.delete_token.empty()) return;
  Status saved =
      TokenStore::Default().Save(created.shortlink, created.delete_token, created.url);
  if (!saved.ok() && !quiet) {
    io.err << "pastebin: warning: could not save the delete token for " << created.shortlink
           << " (" << saved.message() << "); to delete it later use --token "
           << created.delete_token << "\n";
  }
}

Result<std::optional<int64_t>> ExpiryToRequest(const std::string& flag,
                                               const Globals& globals) {
  std::string expire = !flag.empty() ? flag : globals.config.expire.value_or("");
  if (expire.empty()) return std::optional<int64_t>();
  auto minutes = ParseDuration(expire);
  if (!minutes.ok()) return minutes.status();
  return std::optional<int64_t>(*minutes);
}

Result<ServerUrl> ServerFor(const Globals& globals) {
  return ResolveServer(globals.server_flag, globals.config);
}

Result<ServerUrl> ServerFor(const Globals& globals, const PasteRef& ref) {
  if (ref.base.empty()) return ServerFor(globals);
  return ParseServerUrl(ref.base);
}

int RunCli(int argc, const char* const* argv, Io& io) {
  CLI::App app{"pastebin: paste text from the command line and get it back. "
               "See pastebin(1).",
               "pastebin"};
  app.set_version_flag("--version", std::string("pastebin ") + Version());
  app.require_subcommand(1);
  Globals globals;
  app.add_option("-s,--server", globals.server_flag,
                 "Server URL (default: $PASTEBIN_SERVER, then the config "
                 "file, then http://127.0.0.1:8077)")
      ->type_name("URL");

  auto commands = MakeCommands();
  std::vector<std::pair<CLI::App*, Command*>> subs;
  for (auto& command : commands) {
    CLI::App* sub = app.add_subcommand(command->Name(), command->Summary());
    command->DefineFlags(*sub);
    subs.emplace_back(sub, command.get());
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    io.out << "pastebin " << Version() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // A subcommand's --help arrives here too, as a CallForHelp thrown from
    // inside; CLI11 reports it by exit code 0.
    if (e.get_exit_code() == 0) {
      for (auto& [sub, command] : subs) {
        if (sub->parsed()) {
          io.out << sub->help();
          return kExitOk;
        }
      }
      io.out << app.help();
      return kExitOk;
    }
    Fail(io, kExitUsage, e.what());
    io.err << "Run 'pastebin --help' for usage.\n";
    return kExitUsage;
  }

  auto config = LoadClientConfig();
  if (!config.ok()) return Fail(io, kExitUsage, config.status().message());
  globals.config = std::move(config).value();

  for (auto& [sub, command] : subs) {
    if (sub->parsed()) return command->Run(globals, io);
  }
  return Fail(io, kExitUsage, "no command given; run 'pastebin --help'");
}

}  // namespace pastebin
