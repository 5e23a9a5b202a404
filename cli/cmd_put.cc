// pastebin put [FILE...] [--expire DURATION] [--json]
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <optional>
#include <vector>

#include "cli/autostart.h"
#include "cli/command.h"
#include "cli/http_client.h"
#include "cli/output.h"
#include "common/duration.h"
#include "common/sealed.h"
#include "common/shortlink.h"
#include "common/text.h"
#include "common/wire.h"

namespace pastebin {
namespace {

struct Input {
  std::string name;  // "standard input" or "file NAME", for messages
  std::string file;  // as given: "-" for standard input, else the file's name
  std::string bytes;
};

// Inputs up to this size are read without asking the server its limit.
constexpr size_t kProbeBytes = 1 << 20;
// The limit of a server that does not say (pasted before /api/v1/info).
constexpr int64_t kAssumedLimit = 10 << 20;

// Appends from in until its end or until *out holds more than limit
// bytes; true if the input ended within the limit. Never reads more than
// limit + 1 bytes in all.
bool ReadUpTo(std::istream& in, size_t limit, std::string* out) {
  char buf[64 << 10];
  while (out->size() <= limit && in) {
    in.read(buf, static_cast<std::streamsize>(std::min(sizeof(buf), limit + 1 - out->size())));
    out->append(buf, static_cast<size_t>(in.gcount()));
  }
  return out->size() <= limit;
}

// A file's extension as a language (notes.py -> py); "" for stdin, files
// without one, and extensions that say nothing (txt, log).
std::string LanguageOfFile(const std::string& file) {
  if (file == "-") return "";
  size_t slash = file.rfind('/');
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == std::string::npos || dot == 0) return "";
  std::string ext = base.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "txt" || ext == "log" || ext == "text" || !IsLanguageName(ext)) return "";
  return ext;
}

Status TooLarge(const std::string& name, int64_t limit) {
  return Status(Code::kTooLarge, name + " is larger than the server's limit of " +
                                     std::to_string(limit) +
                                     " bytes (its max_paste_bytes); nothing was pasted");
}

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
        ->type_name("DURATION")
        ->check(NonEmptyDuration);
    app.add_flag("-b,--burn", burn_,
                 "Burn after reading: the paste is served once, then gone (a browser is asked "
                 "first)");
    app.add_option("-l,--lang", lang_,
                   "The language to highlight the paste as in a browser, as a file extension "
                   "says it (py, cpp, sh); default: guessed from each FILE's extension, else "
                   "detected")
        ->type_name("LANG")
        // PY is py: extensions are named in any case.
        ->transform([](std::string v) {
          for (char& c : v) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
          return v;
        })
        ->check([](const std::string& v) {
          return IsLanguageName(v) ? std::string()
                                   : "'" + v +
                                         "' is not a language name: use what a file extension "
                                         "says (py, cpp, sh)";
        });
    app.add_flag("-E,--encrypt", encrypt_,
                 "Encrypt here (AES-256-GCM, a fresh key) and send only ciphertext; the URL "
                 "printed carries the key after '#', which never reaches the server");
    app.add_flag("--password", password_,
                 "With --encrypt: a password is needed too ($PASTEBIN_PASSWORD, else asked on "
                 "the terminal)");
    app.add_flag("--qr", qr_, "Also draw each URL as a QR code, for a phone to scan");
    app.add_flag("--json", json_,
                 "Print a JSON object per paste, one a line, instead of the URL: the server's "
                 "answer (with delete_token) and the input's file name (- for standard input)");
  }

  int Run(const Globals& globals, Io& io) override {
    if (qr_ && json_) return Fail(io, kExitUsage, "--qr draws for people; --json is for programs");
    auto minutes = ExpiryToRequest(expire_, globals);
    if (!minutes.ok()) return Fail(io, kExitUsage, minutes.status().message());
    auto server = ServerFor(globals);
    if (!server.ok()) return Fail(io, kExitUsage, server.status().message());
    HttpClient client = ClientFor(globals, *server);
    if (!io.out_open) {
      return Fail(io, kExitFailure,
                  "standard output is closed, so the link would be lost; nothing was pasted");
    }

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
      in.file = name;
      Status read = name == "-" ? ReadStdin(globals, io, client, &in)
                                : ReadFile(globals, io, client, name, &in);
      if (!read.ok()) return FailInput(io, read);
      if (in.bytes.empty()) {
        return Fail(io, kExitRejected, in.name + " is empty; there is nothing to paste");
      }
      Status text = CheckText(in.bytes, in.name);
      if (!text.ok()) return Fail(io, kExitRejected, text.message());
      inputs.push_back(std::move(in));
    }

    std::string password;
    if (password_) {
      if (!encrypt_) return Fail(io, kExitUsage, "--password goes with --encrypt");
      auto asked = AskPassword("password for the paste: ", /*confirm=*/true);
      if (!asked.ok()) return Fail(io, kExitUsage, asked.status().message());
      password = *asked;
    }
    for (Input& in : inputs) {
      CreatePasteRequest req;
      std::string key;
      if (encrypt_) {
        // Only the sealed text leaves this process; the key goes in the URL.
        auto sealed = Seal(in.bytes, password);
        if (!sealed.ok()) return Fail(io, kExitFailure, sealed.status().message());
        in.bytes = std::move(sealed->body);
        key = std::move(sealed->key);
      }
      req.paste_contents = std::move(in.bytes);
      req.expiration_length_in_minutes = *minutes;
      req.burn_after_reading = burn_;
      // An encrypted paste tells the server nothing of its text, not even
      // its language.
      if (!encrypt_) req.language = !lang_.empty() ? lang_ : LanguageOfFile(in.file);
      auto res = SendStartingServer(globals, io, client, "POST", "/api/v1/paste", ToJson(req),
                                    "application/json");
      if (!res.ok()) return FailTransport(io, res.status());
      if (!res->ok()) return FailAnswer(io, *res);
      auto created = ParsePasteCreated(res->body);
      if (!created.ok()) {
        return FailBadAnswer(io, *res, created.status());
      }
      if (!key.empty()) created->url += "#" + key;
      // Only what was checked is printed: never the server's raw bytes.
      io.out << (json_ ? CreatedJson(*created, in.file) : created->url) << "\n";
      if (qr_) io.out << QrText(created->url);
      io.out.flush();
      SavedPaste kind;
      kind.name = in.file == "-" ? "" : in.file;
      kind.burns = burn_;
      kind.encrypted = encrypt_;
      KeepDeleteToken(io, *created, json_, kind);
      if (!io.out) {
        // The paste exists: its link must reach the user somewhere.
        return Fail(io, kExitFailure,
                    "cannot write standard output; the paste is at " + created->url);
      }
    }
    return kExitOk;
  }

 private:
  // The server's max_paste_bytes, asked once and only for a large input.
  // A failure to ask is kept in server_error_ for FailInput.
  Result<int64_t> Limit(const Globals& globals, Io& io, const HttpClient& client) {
    if (limit_) return *limit_;
    auto res = SendStartingServer(globals, io, client, "GET", "/api/v1/info");
    if (!res.ok()) {
      server_error_ = res.status();
    } else if (res->status == 404 && res->FromPastebin()) {
      limit_ = kAssumedLimit;  // an older pasted
    } else if (!res->ok()) {
      server_error_ = res->Error();
    } else if (auto info = ParseServerInfo(res->body); !info.ok()) {
      server_error_ = res->NotPastebin("is not what pasted sends: " + info.status().message());
    } else {
      limit_ = info->max_paste_bytes;
    }
    if (server_error_) return *server_error_;
    return *limit_;
  }

  Status ReadStdin(const Globals& globals, Io& io, const HttpClient& client, Input* in) {
    in->name = "standard input";
    if (io.in_is_terminal) io.err << "pastebin: reading standard input; end with Ctrl-D\n";
    return ReadStream(globals, io, client, io.in, in);
  }

  Status ReadFile(const Globals& globals, Io& io, const HttpClient& client, const std::string& name,
                  Input* in) {
    in->name = "file " + name;
    struct stat st;
    if (stat(name.c_str(), &st) != 0) {
      return InvalidArgument("cannot read " + name + ": " + strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
      return InvalidArgument(name + " is a directory; name the files in it to paste");
    }
    // A file's size is known before reading it: too big is said at once.
    if (S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) > kProbeBytes) {
      auto limit = Limit(globals, io, client);
      if (!limit.ok()) return limit.status();
      if (st.st_size > *limit) return TooLarge(in->name, *limit);
    }
    std::ifstream f(name, std::ios::binary);
    if (!f) return InvalidArgument("cannot read " + name + ": " + strerror(errno));
    return ReadStream(globals, io, client, f, in);
  }

  Status ReadStream(const Globals& globals, Io& io, const HttpClient& client, std::istream& from,
                    Input* in) {
    if (!ReadUpTo(from, kProbeBytes, &in->bytes)) {
      auto limit = Limit(globals, io, client);
      if (!limit.ok()) return limit.status();
      if (!ReadUpTo(from, static_cast<size_t>(*limit), &in->bytes)) {
        return TooLarge(in->name, *limit);
      }
    }
    if (from.bad()) return InvalidArgument("cannot read " + in->name);
    return Status::Ok();
  }

  // Exit codes for what went wrong with an input: asking the server its
  // limit, too large (as for the server's 413), or local trouble.
  int FailInput(Io& io, const Status& s) {
    if (server_error_) {
      return server_error_->code() == Code::kUnavailable ? FailTransport(io, s)
                                                         : FailFromServer(io, s);
    }
    return Fail(io, s.code() == Code::kTooLarge ? kExitRejected : kExitFailure, s.message());
  }

  std::vector<std::string> files_;
  std::string expire_;
  bool json_ = false;
  bool burn_ = false;
  bool qr_ = false;
  bool encrypt_ = false;
  bool password_ = false;
  std::string lang_;
  std::optional<int64_t> limit_;
  std::optional<Status> server_error_;
};

}  // namespace

std::unique_ptr<Command> MakePutCommand() { return std::make_unique<PutCommand>(); }

}  // namespace pastebin
