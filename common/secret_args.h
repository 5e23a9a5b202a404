// Secrets on a command line: every local user reads a process's arguments
// (ps, /proc/PID/cmdline). The programs take secrets from files, the
// environment or the terminal; a secret still given as a flag is warned
// about and overwritten in the process's own argument memory as soon as it
// starts, which shortens the time it shows but cannot undo it.
#ifndef PASTEBIN_COMMON_SECRET_ARGS_H_
#define PASTEBIN_COMMON_SECRET_ARGS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pastebin {

struct SecretFlag {
  std::string_view long_name;   // "--token"
  std::string_view short_name;  // "-t", or empty
  // Which values are secret; null: every value.
  std::function<bool(std::string_view)> is_secret;
};

// The arguments as they were (for the parser), after overwriting in argv
// itself each secret value of the flags ("--flag VALUE", "--flag=VALUE",
// "-fVALUE") with '*'. Words after "--" are left alone.
std::vector<std::string> TakeArgsHidingSecrets(int argc, char** argv,
                                               const std::vector<SecretFlag>& flags);

// True when a PostgreSQL connection string (URI or key=value) holds a
// password.
bool ConninfoHasPassword(std::string_view conninfo);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_SECRET_ARGS_H_
