// Shell completion offers what the programs accept: bash's is run (the
// completion function itself, as bash calls it on TAB), fish's too with
// complete -C, zsh's is parsed; commands and options are read from --help,
// so a new flag without completion fails here.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

using testing::BinaryPath;
using testing::Run;

std::string Source(const std::string& name) {
  return std::string(PASTEBIN_SOURCE_DIR) + "/completions/" + name;
}

// The long options a --help text lists.
std::set<std::string> LongOptions(const std::string& help) {
  std::set<std::string> out;
  std::regex re(R"((?:^|[ ,])(--[a-z][a-z0-9-]*))");
  std::istringstream in(help);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  -", 0) != 0) continue;  // option lines only, not descriptions
    for (std::sregex_iterator it(line.begin(), line.end(), re), end; it != end; ++it) {
      out.insert((*it)[1]);
    }
  }
  return out;
}

// pastebin's commands, from the Subcommands section of its --help.
std::vector<std::string> Commands() {
  auto help = Run({BinaryPath("pastebin"), "--help"});
  REQUIRE(help.exit_code == 0);
  std::vector<std::string> out;
  std::istringstream in(help.out.substr(help.out.find("Subcommands:")));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line) && line.rfind("  ", 0) == 0) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    out.push_back(name);
  }
  return out;
}

// What bash's completion offers for the words typed so far (the last one
// being completed), one word a line, as bash would call the function.
std::set<std::string> Bash(const std::vector<std::string>& words, const std::string& home) {
  std::string script =
      "source \"$0\"; COMP_WORDS=(\"${@:1}\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
      "COMPREPLY=(); complete -p \"$1\" >/dev/null || exit 9; "
      "fn=$(complete -p \"$1\" | sed -E 's/.*-F ([^ ]+).*/\\1/'); \"$fn\"; "
      "printf '%s\\n' \"${COMPREPLY[@]}\"";
  std::vector<std::string> argv = {"/bin/bash", "-c", script, Source("pastebin.bash")};
  argv.insert(argv.end(), words.begin(), words.end());
  auto r = Run(argv, "", {{"HOME", home}});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::set<std::string> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.insert(line);
  }
  return out;
}

TEST_CASE("bash completes pastebin's commands and each command's options") {
  testing::TempDir home;
  std::vector<std::string> commands = Commands();
  REQUIRE(commands.size() >= 8);
  std::set<std::string> expected(commands.begin(), commands.end());
  expected.insert("help");
  CHECK(Bash({"pastebin", ""}, home.path()) == expected);
  CHECK(Bash({"pastebin", "--server", "http://h", "st"}, home.path()) ==
        std::set<std::string>{"stats"});
  auto global = LongOptions(Run({BinaryPath("pastebin"), "--help"}).out);
  CHECK(Bash({"pastebin", "--"}, home.path()) == global);
  for (const std::string& command : commands) {
    INFO(command);
    auto help = Run({BinaryPath("pastebin"), "help", command});
    REQUIRE(help.exit_code == 0);
    std::set<std::string> options = LongOptions(help.out);
    options.insert({"--server", "--timeout"});  // pastebin's own, after the command
    CHECK(Bash({"pastebin", command, "--"}, home.path()) == options);
  }
}

TEST_CASE("bash completes files, saved links, durations and daemon actions") {
  testing::TempDir home;
  testing::WriteFile(home / "notes one.txt", "x");
  testing::WriteFile(home / "notes-two.txt", "x");
  CHECK(Bash({"pastebin", "put", home / "notes"}, home.path()) ==
        std::set<std::string>{home / "notes one.txt", home / "notes-two.txt"});
  CHECK(Bash({"pastebin", "put", "--expire", "2"}, home.path()) ==
        std::set<std::string>{"2h", "2w"});
  CHECK(Bash({"pastebin", "daemon", ""}, home.path()) ==
        std::set<std::string>{"status", "start", "stop", "restart", "reload"});
  CHECK(Bash({"pastebin", "help", "p"}, home.path()) == std::set<std::string>{"put"});
  // get and delete offer the links of the pastes you made.
  std::filesystem::create_directories(home / ".local/state/pastebin");
  testing::WriteFile(home / ".local/state/pastebin/tokens",
                     "Ab3dE9x\tab\thttp://h/Ab3dE9x\nAzzzzz1\tcd\thttp://h/Azzzzz1\t"
                     "2026-11-28T17:53:38Z\tnever\nZz9yY8x\tef\thttp://h/Zz9yY8x\n");
  CHECK(Bash({"pastebin", "get", "A"}, home.path()) == std::set<std::string>{"Ab3dE9x", "Azzzzz1"});
  CHECK(Bash({"pastebin", "delete", ""}, home.path()).size() == 3);
}

TEST_CASE("bash completes every pasted option and the values of some") {
  testing::TempDir home;
  auto help = Run({BinaryPath("pasted"), "--help"});
  REQUIRE(help.exit_code == 0);
  std::set<std::string> options = LongOptions(help.out);
  REQUIRE(options.count("--listen"));
  CHECK(Bash({"pasted", "--"}, home.path()) == options);
  CHECK(Bash({"pasted", "--store", ""}, home.path()) ==
        std::set<std::string>{"sqlite", "postgres"});
  CHECK(Bash({"pasted", "--log-level", "w"}, home.path()) == std::set<std::string>{"warn"});
  // The actions, and import's own options once it is named.
  CHECK(Bash({"pasted", "e"}, home.path()) == std::set<std::string>{"export"});
  CHECK(Bash({"pasted", "--data-dir", "d", "im"}, home.path()) == std::set<std::string>{"import"});
  CHECK(Bash({"pasted", "import", "--fr"}, home.path()) == std::set<std::string>{"--from"});
  CHECK(Bash({"pasted", "import", "--from", "w"}, home.path()) ==
        std::set<std::string>{"wastebin"});
}

TEST_CASE("fish completes pastebin's commands and options") {
  if (!testing::HaveProgram("fish")) testing::SkipTest("fish is not installed");
  testing::TempDir home;
  auto fish = [&](const std::string& line) {
    auto r = Run({"/usr/bin/env", "fish", "--no-config", "-c",
                  "source " + Source("pastebin.fish") + "; source " + Source("pasted.fish") +
                      "; complete -C '" + line + "'"},
                 "", {{"HOME", home.path()}});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::set<std::string> out;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);) out.insert(l.substr(0, l.find('\t')));
    return out;
  };
  std::vector<std::string> commands = Commands();
  std::set<std::string> offered = fish("pastebin ");
  for (const std::string& command : commands) CHECK(offered.count(command));
  for (const std::string& command : commands) {
    INFO(command);
    auto help = Run({BinaryPath("pastebin"), "help", command});
    std::set<std::string> options = LongOptions(help.out);
    std::set<std::string> got = fish("pastebin " + command + " --");
    for (const std::string& option : options) {
      INFO(option);
      CHECK(got.count(option));
    }
  }
  std::set<std::string> pasted = fish("pasted --");
  for (const std::string& option : LongOptions(Run({BinaryPath("pasted"), "--help"}).out)) {
    INFO(option);
    CHECK(pasted.count(option));
  }
}

TEST_CASE("zsh's completion parses and names every command and option") {
  std::string text = testing::ReadFile(Source("_pastebin"));
  CHECK(text.rfind("#compdef pastebin pasted\n", 0) == 0);
  for (const std::string& command : Commands()) {
    INFO(command);
    CHECK(text.find("'" + command + ":") != std::string::npos);
    for (const std::string& option :
         LongOptions(Run({BinaryPath("pastebin"), "help", command}).out)) {
      INFO(option);
      CHECK(text.find(option) != std::string::npos);
    }
  }
  for (const std::string& option : LongOptions(Run({BinaryPath("pasted"), "--help"}).out)) {
    INFO(option);
    // '--listen[...]', or --version'[...]' after an exclusion list.
    CHECK(std::regex_search(text, std::regex(option + "'?\\[")));
  }
  if (!testing::HaveProgram("zsh")) testing::SkipTest("zsh is not installed");
  auto syntax = Run({"/usr/bin/env", "zsh", "-n", Source("_pastebin")});
  INFO(syntax.err);
  CHECK(syntax.exit_code == 0);
}

}  // namespace
}  // namespace pastebin
