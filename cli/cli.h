// The pastebin command line: parses argv, dispatches to a subcommand, and
// returns the process exit status (see exit_codes.h).
#ifndef PASTEBIN_CLI_CLI_H_
#define PASTEBIN_CLI_CLI_H_

#include "cli/command.h"

namespace pastebin {

int RunCli(int argc, const char* const* argv, Io& io);

}  // namespace pastebin

#endif  // PASTEBIN_CLI_CLI_H_
