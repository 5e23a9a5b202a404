// pastebin: a thin main over the CLI library.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  pastebin::Io io{std::cin, std::cout, std::cerr, isatty(0) == 1,
                  fcntl(STDOUT_FILENO, F_GETFD) != -1};
  return pastebin::RunCli(argc, argv, io);
}
