#include "daemon/command_line.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "common/secret_args.h"
#include "common/strings.h"
#include "common/version.h"

namespace pastebin {
namespace {

// Secrets other local users can read: flags show in /proc/PID/cmdline (main
// overwrites them there, but only once pasted runs), and a config file
// others may read shows what it holds.
void WarnOfExposedSecrets(const CLI::App& app, const std::map<std::string, std::string>& flags,
                          const Settings& from_file) {
  if (app.get_option("--admin-token")->count() > 0) {
    fprintf(stderr,
            "pasted: warning: --admin-token shows the admin token to every user of this machine "
            "(ps, /proc/PID/cmdline); use --admin-token-file FILE (mode 0600) instead\n");
  }
  for (const char* key : {"postgres_url", "postgres_read_url"}) {
    if (app.get_option(FlagName(key))->count() > 0 && ConninfoHasPassword(flags.at(key))) {
      fprintf(stderr,
              "pasted: warning: %s holds a password every user of this machine can read (ps, "
              "/proc/PID/cmdline); keep it in a password file (~/.pgpass or PGPASSFILE) "
              "instead\n",
              FlagName(key).c_str());
    }
  }
  if (from_file.config_file.empty()) return;
  bool holds_secret = !from_file.admin_token.empty() ||
                      ConninfoHasPassword(from_file.postgres_url) ||
                      ConninfoHasPassword(from_file.postgres_read_url);
  struct stat st {};
  if (holds_secret && stat(from_file.config_file.c_str(), &st) == 0 && (st.st_mode & 0044) != 0) {
    fprintf(stderr,
            "pasted: warning: %s holds a secret (admin_token or a database password) and other "
            "users can read it (mode %04o); chmod 0600 it, or move the secret to "
            "admin_token_file or ~/.pgpass\n",
            from_file.config_file.c_str(), static_cast<unsigned>(st.st_mode & 07777));
  }
}

}  // namespace

CommandLine ParseCommandLine(int argc, char** argv) {
  CommandLine out;
  CLI::App app{
      "pasted: the pastebin daemon. Serves the HTTP API, stores pastes in "
      "SQLite and a content directory, or in PostgreSQL shared by several "
      "nodes (--store postgres). Settings come from flags, then "
      "--config FILE, then defaults (see pasted.conf(5)).",
      "pasted"};
  app.set_version_flag("--version", std::string("pasted ") + Version());
  app.footer(
      "Actions (store sqlite; the data dir as --data-dir or --config give it):\n"
      "  pasted backup DEST    copy the data dir to the new folder DEST while pasted serves\n"
      "  pasted restore SRC    check the backup SRC and copy it into an empty data dir\n"
      "Actions (either store):\n"
      "  pasted export [FILE]  write every paste and visit count as JSON lines (stdout)\n"
      "  pasted import [FILE]  read what export wrote (stdin) into this store; run again to\n"
      "                        finish an import cut short\n"
      "  pasted import --from haste DIR --keys LOG    haste-server's file store\n"
      "  pasted import --from wastebin DB             wastebin's database");
  CLI::App* backup = app.add_subcommand("backup", "Back up the data dir into DEST, a new folder");
  backup->add_option("DEST", out.action_path, "The new folder")->required();
  backup->fallthrough();
  CLI::App* restore =
      app.add_subcommand("restore", "Restore the backup SRC into the (empty) data dir");
  restore->add_option("SRC", out.action_path, "A folder made by pasted backup")->required();
  restore->fallthrough();
  CLI::App* exporter =
      app.add_subcommand("export", "Write every paste and visit count to FILE (or stdout)");
  exporter->add_option("FILE", out.action_path, "A new file; - or none: stdout");
  exporter->fallthrough();
  CLI::App* importer = app.add_subcommand(
      "import", "Read pastes into this store: an export (FILE or stdin), or another pastebin's");
  importer->add_option("SRC", out.action_path,
                       "The export (- or none: stdin); haste's storage directory; wastebin's "
                       "database file");
  importer
      ->add_option("--from", out.import_from,
                   "What SRC is: pastebin (what pasted export writes), haste or wastebin")
      ->check(CLI::IsMember({"pastebin", "haste", "wastebin"}));
  importer->add_option("--keys", out.import_keys,
                       "haste: its log (the key= of 'added document' lines) or a list of keys");
  importer->fallthrough();
  app.require_subcommand(0, 1);
  std::string config_file;
  app.add_option("--config", config_file, "Read settings from FILE ('key = value' lines)")
      ->type_name("FILE");
  std::map<std::string, std::string> flags;
  for (const auto& def : SettingDefs()) {
    std::string help = def.help;
    if (def.default_value[0] != '\0') {
      help += std::string(" Default: ") + def.default_value + ".";
    }
    app.add_option(FlagName(def.key), flags[def.key], help)->type_name(SettingValueName(def));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    printf("%s", app.help().c_str());
    out.exit_code = 0;
    return out;
  } catch (const CLI::CallForVersion&) {
    printf("pasted %s\n", Version());
    out.exit_code = 0;
    return out;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    // A flag misspelt: name it, and the nearest one pasted has.
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
      std::vector<std::string> known = {"--config", "--help", "--version"};
      for (const auto& def : SettingDefs()) known.push_back(FlagName(def.key));
      for (int i = 1; i < argc; ++i) {
        std::string word = std::string(argv[i]).substr(0, std::string(argv[i]).find('='));
        if (word.rfind("--", 0) != 0 ||
            std::find(known.begin(), known.end(), word) != known.end()) {
          continue;
        }
        std::string nearest = NearestWord(word, known);
        what = "unknown option '" + word + "'" +
               (nearest.empty() ? "" : " (did you mean " + nearest + "?)");
        break;
      }
    }
    fprintf(stderr, "pasted: error: %s\nRun 'pasted --help' for usage.\n", what.c_str());
    out.exit_code = 2;
    return out;
  }

  if (backup->parsed()) out.action = "backup";
  if (restore->parsed()) out.action = "restore";
  if (exporter->parsed()) out.action = "export";
  if (importer->parsed()) out.action = "import";
  Settings settings = DefaultSettings();
  if (!config_file.empty()) {
    std::ifstream in(config_file, std::ios::binary);
    if (!in) {
      fprintf(stderr, "pasted: error: cannot read config file %s\n", config_file.c_str());
      out.exit_code = 2;
      return out;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    Status s = ApplyConfigText(settings, buf.str(), config_file);
    if (!s.ok()) {
      fprintf(stderr, "pasted: error: %s\n", s.message().c_str());
      out.exit_code = 2;
      return out;
    }
    settings.config_file = config_file;
  }
  WarnOfExposedSecrets(app, flags, settings);
  for (const auto& def : SettingDefs()) {
    auto* opt = app.get_option(FlagName(def.key));
    if (opt->count() == 0) continue;
    Status s = ApplySetting(settings, def.key, flags[def.key]);
    if (!s.ok()) {
      // The flag names the setting: once is enough.
      std::string message = s.message();
      std::string key_prefix = "key '" + std::string(def.key) + "': ";
      if (message.rfind(key_prefix, 0) == 0) message.erase(0, key_prefix.size());
      fprintf(stderr, "pasted: error: %s: %s\n", FlagName(def.key).c_str(), message.c_str());
      out.exit_code = 2;
      return out;
    }
  }
  Status valid = ValidateSettings(settings);
  if (!valid.ok()) {
    fprintf(stderr, "pasted: error: %s\n", valid.message().c_str());
    out.exit_code = 2;
    return out;
  }
  if (settings.data_dir.empty()) {
    fprintf(stderr,
            "pasted: error: no data dir: HOME is not set; pass --data-dir "
            "DIR\n");
    out.exit_code = 2;
    return out;
  }
  out.settings = std::move(settings);
  return out;
}

}  // namespace pastebin
