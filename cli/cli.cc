#include "cli/cli.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "cli/http_client.h"
#include "cli/local_server.h"
#include "cli/output.h"
#include "cli/token_store.h"
#include "common/admin_auth.h"
#include "common/duration.h"
#include "common/shortlink.h"
#include "common/text.h"
#include "common/time_format.h"
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
  commands.push_back(MakeListCommand());
  commands.push_back(MakeGcCommand());
  commands.push_back(MakeStatsCommand());
  commands.push_back(MakeDaemonCommand());
  return commands;
}

}  // namespace

int Fail(Io& io, int exit_code, const std::string& message) {
  if (io.json_errors) {
    io.err << CliErrorJson(exit_code, message) << "\n";
    io.err.flush();
    return exit_code;
  }
  io.err << "pastebin: error: " << EscapeControls(message) << "\n";
  io.err.flush();
  return exit_code;
}

int FailFromServer(Io& io, const Status& status) {
  return Fail(io, ExitCodeForServerError(status), status.message());
}

int FailTransport(Io& io, const Status& status) {
  // kInvalidArgument: the user's own setting (PASTEBIN_AUTOSTART) is wrong.
  // kForbidden: the local port is another user's (nothing was sent).
  int code = status.code() == Code::kUnavailable || status.code() == Code::kForbidden
                 ? kExitUnreachable
             : status.code() == Code::kInvalidArgument ? kExitUsage
                                                       : kExitServerError;
  return Fail(io, code, status.message());
}

int FailAnswer(Io& io, const HttpResponse& res) {
  if (!res.FromPastebin()) return FailTransport(io, res.Error());
  Status error = res.Error();
  // Which server has no such paste: the user may have meant another.
  if (error.code() == Code::kNotFound && !res.origin.empty()) {
    error = Status(error.code(), error.message() + " on " + res.origin);
  }
  return FailFromServer(io, error);
}

int FailBadAnswer(Io& io, const HttpResponse& res, const Status& parse) {
  return FailTransport(io, res.NotPastebin("is not what pasted sends: " + parse.message()));
}

void KeepDeleteToken(Io& io, const PasteCreated& created, bool quiet, const SavedPaste& kind) {
  if (created.delete_token.empty()) return;
  SavedPaste entry = kind;
  entry.shortlink = created.shortlink;
  entry.token = created.delete_token;
  entry.url = created.url;
  entry.created_at = NormalizeToRfc3339(created.created_at).value_or("");
  entry.kind_saved = true;
  entry.link = created.target.has_value();
  if (!created.expires_at) {
    entry.expires_at = "never";
  } else if (auto t = NormalizeToRfc3339(*created.expires_at)) {
    entry.expires_at = *t;
  }
  Status saved = TokenStore::Default().Save(entry);
  if (!saved.ok() && !quiet) {
    io.err << "pastebin: warning: could not save the delete token for " << created.shortlink << " ("
           << saved.message()
           << "); to delete it later, PASTEBIN_DELETE_TOKEN=" << created.delete_token
           << " pastebin delete " << created.shortlink << "\n";
  }
}

Result<std::optional<int64_t>> ExpiryToRequest(const std::string& flag, const Globals& globals) {
  std::string expire = !flag.empty() ? flag : globals.config.expire.value_or("");
  if (expire.empty()) return std::optional<int64_t>();
  auto minutes = ParseDuration(expire);
  if (!minutes.ok()) return minutes.status();
  return std::optional<int64_t>(*minutes);
}

std::string NonEmptyDuration(const std::string& value) {
  if (!value.empty()) return "";
  return "needs a duration: 30m, 2h, 7d, 2w, a number of minutes, or never";
}

int Globals::TimeoutSec() const {
  if (timeout_flag > 0) return timeout_flag;
  return config.timeout_sec.value_or(kDefaultTimeoutSec);
}

HttpClient ClientFor(const Globals& globals, const ServerUrl& server) {
  return HttpClient(server, globals.TimeoutSec());
}

namespace {

// The terminal, or -1.
int OpenTerminal() { return open("/dev/tty", O_RDWR | O_CLOEXEC); }

// One line from the terminal fd, not echoed.
std::string AskQuietly(int fd, const std::string& text) {
  // Echo off (and what was typed ahead dropped) before the prompt shows:
  // an answer typed after it must not be flushed away.
  termios old{};
  bool tty = tcgetattr(fd, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  (void)!write(fd, text.data(), text.size());
  std::string line;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  if (tty) tcsetattr(fd, TCSANOW, &old);
  (void)!write(fd, "\n", 1);
  return line;
}

// The first line of path ('-': standard input), without its newline.
Result<std::string> TokenFromFile(const std::string& path, Io& io) {
  std::string line;
  if (path == "-") {
    std::getline(io.in, line);
  } else {
    std::ifstream in(path);
    if (!in) {
      return InvalidArgument("--token-file: cannot read " + path + " (" + std::strerror(errno) +
                             "); give a file whose first line is the delete token");
    }
    std::getline(in, line);
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) {
    return InvalidArgument("--token-file: " + std::string(path == "-" ? "standard input" : path) +
                           " has no delete token on its first line");
  }
  return line;
}

}  // namespace

Result<std::string> AskOnTerminal(const std::string& prompt, const std::string& instead) {
  int fd = OpenTerminal();
  if (fd < 0) return InvalidArgument(instead);
  std::string line = AskQuietly(fd, prompt);
  close(fd);
  return line;
}

Result<std::string> AskPassword(const std::string& prompt, bool confirm) {
  if (const char* env = getenv("PASTEBIN_PASSWORD"); env && env[0]) return std::string(env);
  int fd = OpenTerminal();
  if (fd < 0) {
    return InvalidArgument("a password is needed: set PASTEBIN_PASSWORD, or run on a terminal");
  }
  std::string first = AskQuietly(fd, prompt);
  std::string second = confirm ? AskQuietly(fd, "again: ") : first;
  close(fd);
  if (first.empty()) return InvalidArgument("an empty password opens nothing; give one");
  if (first != second) return InvalidArgument("the two passwords differ; nothing was done");
  return first;
}

void DeleteTokenFlags::Define(CLI::App& app, const std::string& with) {
  // "With LINK, a file ..." or "A file ...".
  auto help = [&with](std::string text) {
    if (with.empty()) text[0] = static_cast<char>(toupper(text[0]));
    return with + text;
  };
  auto* file_opt = app.add_option("--token-file", file,
                                  help("a file whose first line is the delete token ('-': "
                                       "standard input), or set PASTEBIN_DELETE_TOKEN "
                                       "(default: the one put saved, else asked)"))
                       ->type_name("FILE");
  app.add_option("-t,--token", token,
                 help("the delete token itself; every user of this machine can see it (ps), so "
                      "prefer --token-file"))
      ->type_name("TOKEN")
      ->excludes(file_opt);
}

Result<ServerUrl> ServerFor(const Globals& globals) {
  return ResolveServer(globals.server_flag, globals.config);
}

Result<OwnedPaste> ResolveOwned(const Globals& globals, Io& io, const std::string& link,
                                const DeleteTokenFlags& flags) {
  auto ref = ParsePasteRef(link);
  if (!ref.ok()) return ref.status();
  auto server = ServerFor(globals, *ref);
  if (!server.ok()) return server.status();
  OwnedPaste out{std::move(ref).value(), std::move(server).value(), ""};
  if (!flags.token.empty()) {
    io.err << "pastebin: warning: --token shows the delete token to every user of this machine "
              "(ps, /proc/PID/cmdline); use --token-file FILE or PASTEBIN_DELETE_TOKEN instead\n";
    out.token = flags.token;
    return out;
  }
  if (!flags.file.empty()) {
    auto token = TokenFromFile(flags.file, io);
    if (!token.ok()) return token.status();
    out.token = *token;
    return out;
  }
  if (const char* env = getenv("PASTEBIN_DELETE_TOKEN"); env && env[0]) {
    out.token = env;
    return out;
  }
  if (!out.ref.token.empty()) {  // the created page's address: LINK#token=T
    io.err << "pastebin: warning: a token in the link shows it to every user of this machine "
              "(ps, /proc/PID/cmdline); use PASTEBIN_DELETE_TOKEN instead\n";
    out.token = out.ref.token;
    return out;
  }
  TokenStore store = TokenStore::Default();
  out.token = store.Find(out.ref.shortlink).value_or("");
  if (!out.token.empty()) return out;
  std::string none = "no delete token saved for " + out.ref.shortlink + " in " +
                     (store.path().empty() ? "the token file" : store.path()) +
                     "; give it with --token-file FILE or PASTEBIN_DELETE_TOKEN (put --json "
                     "prints it)";
  auto asked = AskOnTerminal("delete token for " + out.ref.shortlink + ": ", none);
  if (!asked.ok()) return asked.status();
  if (asked->empty()) return InvalidArgument("no delete token given; nothing was done");
  out.token = *asked;
  return out;
}

int AddAdminProof(const Globals& globals, Io& io, const HttpClient& client,
                  const std::string& method, const std::string& path, HeaderList* headers) {
  std::string token = ResolveAdminToken(globals.config, client.server());
  if (token.empty()) return 0;
  auto res = client.Send("GET", "/api/v1/admin/challenge");
  if (!res.ok()) return FailTransport(io, res.status());
  if (res->status == 404 && res->FromPastebin()) {
    return Fail(io, kExitUnreachable,
                client.server().Base() +
                    " takes no admin proofs (an older pasted); upgrade it: pastebin never "
                    "sends the admin token itself");
  }
  if (!res->ok()) return FailAnswer(io, *res);
  auto challenge = ParseAdminChallenge(res->body);
  if (!challenge.ok()) return FailBadAnswer(io, *res, challenge.status());
  headers->emplace_back("Authorization", AdminAuthorization(token, challenge->nonce, method,
                                                            client.server().prefix + path));
  return 0;
}

Result<ServerUrl> ServerFor(const Globals& globals, const PasteRef& ref) {
  if (ref.base.empty()) return ServerFor(globals);
  // The local server's links go to it through a listener verified as the
  // user's own, never to whatever holds the port.
  if (ref.base == kDefaultServer) return LocalDefaultServer();
  return ParseServerUrl(ref.base);
}

namespace {

// "unknown command 'pust' (did you mean put?)"
std::string UnknownCommand(const std::string& word, const std::vector<std::string>& names) {
  std::string best = NearestWord(word, names);
  return "unknown command '" + word + "'" + (best.empty() ? "" : " (did you mean " + best + "?)") +
         "; run 'pastebin help' for the commands";
}

// The long options app and its parsed subcommand take ("--expire").
std::vector<std::string> LongOptions(const CLI::App& app, const CLI::App* sub) {
  std::vector<std::string> out;
  for (const CLI::App* a : {&app, sub}) {
    if (!a) continue;
    for (const CLI::Option* opt : a->get_options()) {
      for (const std::string& name : opt->get_lnames()) out.push_back("--" + name);
    }
  }
  return out;
}

// The first --word of argv that is none of options, and the nearest of
// them: what an ExtrasError was about ("--expires", "--expire").
std::pair<std::string, std::string> UnknownOption(int argc, const char* const* argv,
                                                  const std::vector<std::string>& options) {
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") break;
    if (word.rfind("--", 0) != 0) continue;
    word = word.substr(0, word.find('='));
    if (std::find(options.begin(), options.end(), word) != options.end()) continue;
    if (word == "--help" || word == "--help-all" || word == "--version") continue;
    return {word, NearestWord(word, options)};
  }
  return {};
}

}  // namespace

int RunCli(int argc, const char* const* argv, Io& io) {
  CLI::App app{
      "pastebin: paste text from the command line and get it back. "
      "See pastebin(1).",
      "pastebin"};
  app.set_version_flag("-V,--version", std::string("pastebin ") + Version());
  app.require_subcommand(1);
  // Options of pastebin itself (--server) may also follow the command.
  app.fallthrough();
  Globals globals;
  app.add_option("-s,--server", globals.server_flag,
                 "Server URL (default: $PASTEBIN_SERVER, then the config "
                 "file, then http://127.0.0.1:8077)")
      ->type_name("URL");
  app.add_option("--timeout", globals.timeout_flag,
                 "Seconds the whole exchange with the server may take, plus a second for "
                 "each 16 KiB sent or streamed (default: the config file's timeout, else " +
                     std::to_string(kDefaultTimeoutSec) + ")")
      ->type_name("SECONDS")
      ->check([](const std::string& v) {
        auto s = ParseTimeoutSeconds(v);
        return s.ok() ? std::string() : s.status().message();
      });

  auto commands = MakeCommands();
  std::vector<std::pair<CLI::App*, Command*>> subs;
  for (auto& command : commands) {
    CLI::App* sub = app.add_subcommand(command->Name(), command->Summary());
    command->DefineFlags(*sub);
    subs.emplace_back(sub, command.get());
  }

  // What CLI11 would only call "A subcommand is required": no command, an
  // unknown one, or help. The first word that is not an option (or the
  // value of --server) is the command.
  std::vector<std::string> names;
  for (auto& [sub, command] : subs) names.push_back(command->Name());
  // With --json anywhere before "--", even a bad command line is told
  // in JSON.
  for (int i = 1; i < argc && std::string(argv[i]) != "--"; ++i) {
    if (std::string(argv[i]) == "--json") io.json_errors = true;
  }
  bool has_command = false;
  bool asks_help_or_version = false;  // before any command: CLI11 answers it
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "-s" || word == "--server" || word == "--timeout") {
      ++i;
      continue;
    }
    if (word == "--") break;
    if (!word.empty() && word[0] == '-') {
      if (word == "-h" || word == "--help" || word == "--help-all" || word == "-V" ||
          word == "--version") {
        asks_help_or_version = true;
        continue;
      }
      if (word.rfind("--server=", 0) == 0 || word.rfind("--timeout=", 0) == 0) continue;
      Fail(io, kExitUsage, "unknown option '" + word + "'; run 'pastebin help' for usage");
      return kExitUsage;
    }
    if (word == "help") {
      if (i + 1 >= argc) {
        io.out << app.help();
        return kExitOk;
      }
      std::string topic = argv[i + 1];
      for (auto& [sub, command] : subs) {
        if (command->Name() == topic) {
          // As "pastebin put --help" prints it: the usage line names the
          // program too (CLI11 names it only once the command is parsed).
          std::string text = sub->help();
          std::string bare = "Usage: " + std::string(command->Name()) + " ";
          if (size_t at = text.find(bare); at != std::string::npos) {
            text.replace(at, bare.size(), "Usage: pastebin " + std::string(command->Name()) + " ");
          }
          io.out << text;
          return kExitOk;
        }
      }
      return Fail(io, kExitUsage, UnknownCommand(topic, names));
    }
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      return Fail(io, kExitUsage, UnknownCommand(word, names));
    }
    has_command = true;
    break;
  }
  if (!has_command && !asks_help_or_version) {
    return Fail(io, kExitUsage, "no command given; run 'pastebin help' for the commands");
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
    std::string what = e.what();
    // An option misspelt: name it, and what was probably meant.
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
      const CLI::App* parsed = nullptr;
      for (auto& [sub, command] : subs) {
        if (sub->parsed()) parsed = sub;
      }
      auto [word, nearest] = UnknownOption(argc, argv, LongOptions(app, parsed));
      if (!word.empty()) {
        what = "unknown option '" + word + "'" +
               (nearest.empty() ? "" : " (did you mean " + nearest + "?)");
      }
    }
    if (io.json_errors) return Fail(io, kExitUsage, what + "; run 'pastebin help' for usage");
    Fail(io, kExitUsage, what);
    io.err << "Run 'pastebin help' for usage.\n";
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
