// The CLI's subcommands share this shape; the list of them is in cli.cc.
#ifndef PASTEBIN_CLI_COMMAND_H_
#define PASTEBIN_CLI_COMMAND_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/client_config.h"
#include "cli/exit_codes.h"
#include "common/shortlink.h"
#include "common/status.h"

namespace CLI {
class App;
}

namespace pastebin {

// Where a command reads and writes; tests pass string streams.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool in_is_terminal = false;
  // False when the process was started with standard output closed
  // (cmd >&-): what it would print there is lost.
  bool out_open = true;
  // --json was given: failures are JSON on io.err too (see CliErrorJson).
  bool json_errors = false;
};

// What every command may use besides its own flags.
struct Globals {
  std::string server_flag;  // --server, "" when not given
  int timeout_flag = 0;     // --timeout, 0 when not given
  ClientConfig config;      // the user's config file, already parsed
  // The seconds to wait for a server: --timeout, else the config file's
  // timeout, else kDefaultTimeoutSec.
  int TimeoutSec() const;
};

class Command {
 public:
  virtual ~Command() = default;
  virtual const char* Name() const = 0;
  virtual const char* Summary() const = 0;
  // Adds this command's flags and positionals to its CLI11 subcommand.
  virtual void DefineFlags(CLI::App& app) = 0;
  // Runs after the command line parsed; returns the exit status. Data goes
  // to io.out, diagnostics to io.err; nothing reaches io.out on failure.
  virtual int Run(const Globals& globals, Io& io) = 0;
};

std::unique_ptr<Command> MakePutCommand();
std::unique_ptr<Command> MakeGetCommand();
std::unique_ptr<Command> MakeDeleteCommand();
std::unique_ptr<Command> MakeListCommand();
std::unique_ptr<Command> MakeGcCommand();
std::unique_ptr<Command> MakeStatsCommand();
std::unique_ptr<Command> MakeShortenCommand();
std::unique_ptr<Command> MakeDaemonCommand();

// Prints "pastebin: error: message" to io.err (with --json, one CliErrorJson
// line instead) and returns exit_code. Control characters in message are
// escaped (EscapeControls): messages often quote what a server said.
int Fail(Io& io, int exit_code, const std::string& message);
// Fails with the exit code for an error the server reported.
int FailFromServer(Io& io, const Status& status);
// Fails for a non-2xx answer: as FailFromServer for pasted's errors, as
// FailTransport (no pastebin server there) for anything else.
struct HttpResponse;
int FailAnswer(Io& io, const HttpResponse& res);
// Fails for a 2xx answer whose body did not parse (parse says why): another
// kind of server answered.
int FailBadAnswer(Io& io, const HttpResponse& res, const Status& parse);
// Fails with the exit code for a request that got no usable answer (see
// HttpClient::Send): unreachable, or an answer no pastebin server sends;
// a bad setting of the user's own (kInvalidArgument) is a usage error.
int FailTransport(Io& io, const Status& status);
// Appends a new paste's or link's delete token to the token store, with
// what kind says of it (the file's name, burns, encrypted); if that fails,
// warns on io.err with the token itself (unless quiet: --json already
// printed it).
struct PasteCreated;
struct SavedPaste;
void KeepDeleteToken(Io& io, const PasteCreated& created, bool quiet, const SavedPaste& kind);

// The expiry to ask for: --expire if given, else the config file's expire,
// else nullopt (the server's default). kInvalidArgument for a bad duration.
Result<std::optional<int64_t>> ExpiryToRequest(const std::string& flag, const Globals& globals);

// A CLI11 check for --expire: an empty value is refused (it would silently
// mean the default), naming what to write instead.
std::string NonEmptyDuration(const std::string& value);

// The password for an encrypted paste: $PASTEBIN_PASSWORD, else asked on
// the terminal (/dev/tty, not echoed; twice when confirm). kInvalidArgument
// when there is neither, or the answers differ or are empty.
Result<std::string> AskPassword(const std::string& prompt, bool confirm);

// The server for this invocation (see ResolveServer), or a usage failure.
Result<ServerUrl> ServerFor(const Globals& globals);

// How the commands that act as a paste's owner (delete, stats LINK) are
// given its delete token when put's saved one is not to be used:
// --token-file FILE ('-': standard input), else $PASTEBIN_DELETE_TOKEN.
// --token TOKEN works too, with a warning: every local user sees a
// process's arguments (main overwrites it, common/secret_args.h).
struct DeleteTokenFlags {
  std::string token;
  std::string file;
  void Define(CLI::App& app, const std::string& with);
  bool given() const { return !token.empty() || !file.empty(); }
};

// A paste of the user's own: its reference, its server, and its delete
// token (from the flags, else $PASTEBIN_DELETE_TOKEN, else the one put
// saved, else asked on the terminal). kInvalidArgument, saying what to do,
// when the link is bad or no token is known.
struct OwnedPaste {
  PasteRef ref;
  ServerUrl server;
  std::string token;
};
Result<OwnedPaste> ResolveOwned(const Globals& globals, Io& io, const std::string& link,
                                const DeleteTokenFlags& flags);

// A line asked for on the terminal (/dev/tty), not echoed. kInvalidArgument
// naming `instead` when there is no terminal.
Result<std::string> AskOnTerminal(const std::string& prompt, const std::string& instead);

class HttpClient;
// A client for server that waits as long as globals say.
HttpClient ClientFor(const Globals& globals, const ServerUrl& server);

// Adds to *headers what makes a request of method on path an admin's at
// client's server: nothing when no admin token is known (the local server
// knows its user over its private socket), else a Pastebin-Admin proof
// made with a fresh nonce the server gives (common/admin_auth.h). The
// token itself is never sent. Returns 0, or the exit status after saying
// on io.err why no proof could be made.
using HeaderList = std::vector<std::pair<std::string, std::string>>;
int AddAdminProof(const Globals& globals, Io& io, const HttpClient& client,
                  const std::string& method, const std::string& path, HeaderList* headers);

// The server a paste reference names: its URL's base, or the configured
// server for a bare link.
Result<ServerUrl> ServerFor(const Globals& globals, const PasteRef& ref);

}  // namespace pastebin

#endif  // PASTEBIN_CLI_COMMAND_H_
