// pasted's command line: a flag per setting (settings.h), --config FILE,
// --help and --version, through CLI11 (whose exceptions stop here).
#ifndef PASTEBIN_DAEMON_COMMAND_LINE_H_
#define PASTEBIN_DAEMON_COMMAND_LINE_H_

#include "daemon/settings.h"

namespace pastebin {

// Parses pasted's command line (and --config FILE). On --help or --version
// prints to stdout and sets exit_code 0; on an error prints
// "pasted: error: ..." to stderr and sets exit_code 2; otherwise
// exit_code is -1 and settings holds the result.
struct CommandLine {
  Settings settings;
  int exit_code = -1;
  // "backup", "restore", "export" or "import" with its path (pasted backup
  // DEST, pasted restore SRC, pasted export [FILE], pasted import [SRC]);
  // empty: serve.
  std::string action;
  std::string action_path;
  // pasted import --from pastebin|haste|wastebin [--keys FILE].
  std::string import_from = "pastebin";
  std::string import_keys;
};
CommandLine ParseCommandLine(int argc, char** argv);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_COMMAND_LINE_H_
