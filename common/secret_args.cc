#include "common/secret_args.h"

#include <cstring>

namespace pastebin {
namespace {

void Overwrite(char* value) { memset(value, '*', strlen(value)); }

bool Secret(const SecretFlag& flag, const char* value) {
  return !flag.is_secret || flag.is_secret(value);
}

}  // namespace

std::vector<std::string> TakeArgsHidingSecrets(int argc, char** argv,
                                               const std::vector<SecretFlag>& flags) {
  std::vector<std::string> args(argv, argv + argc);
  for (int i = 1; i < argc; ++i) {
    std::string_view word = args[i];
    if (word == "--") break;
    for (const SecretFlag& flag : flags) {
      bool is_short = !flag.short_name.empty() && word == flag.short_name;
      if ((word == flag.long_name || is_short) && i + 1 < argc) {
        if (Secret(flag, argv[i + 1])) Overwrite(argv[i + 1]);
        ++i;
        break;
      }
      std::string with_equals = std::string(flag.long_name) + "=";
      if (word.rfind(with_equals, 0) == 0) {
        char* value = argv[i] + with_equals.size();
        if (Secret(flag, value)) Overwrite(value);
        break;
      }
      if (!flag.short_name.empty() && word.size() > flag.short_name.size() &&
          word.rfind(flag.short_name, 0) == 0) {
        char* value = argv[i] + flag.short_name.size();
        if (Secret(flag, value)) Overwrite(value);
        break;
      }
    }
  }
  return args;
}

bool ConninfoHasPassword(std::string_view conninfo) {
  if (conninfo.rfind("postgres://", 0) == 0 || conninfo.rfind("postgresql://", 0) == 0) {
    std::string_view rest = conninfo.substr(conninfo.find("//") + 2);
    size_t at = rest.find('@');
    size_t slash = rest.find('/');
    if (at != std::string_view::npos && at < slash && rest.substr(0, at).find(':') != rest.npos) {
      return true;
    }
    return conninfo.find("password=") != std::string_view::npos;
  }
  // key=value: a password key at the start or after whitespace.
  for (size_t at = conninfo.find("password"); at != std::string_view::npos;
       at = conninfo.find("password", at + 1)) {
    if (at > 0 && conninfo[at - 1] != ' ' && conninfo[at - 1] != '\t') continue;
    size_t eq = conninfo.find_first_not_of(" \t", at + 8);
    if (eq != std::string_view::npos && conninfo[eq] == '=') return true;
  }
  return false;
}

}  // namespace pastebin
