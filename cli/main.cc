// pastebin: a thin main over the CLI library.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "common/secret_args.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  pastebin::Io io{std::cin, std::cout, std::cerr, isatty(0) == 1,
                  fcntl(STDOUT_FILENO, F_GETFD) != -1};
  // A delete token given as a flag leaves /proc/PID/cmdline
  // (common/secret_args.h); the command warns of it.
  std::vector<std::string> args =
      pastebin::TakeArgsHidingSecrets(argc, argv, {{"--token", "-t", nullptr}});
  std::vector<const char*> own;
  for (const std::string& arg : args) own.push_back(arg.c_str());
  return pastebin::RunCli(argc, own.data(), io);
}
