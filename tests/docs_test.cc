// The man pages document every setting and flag the code has.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "daemon/settings.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin {
namespace {

std::string ManPage(const std::string& name) {
  return testing::ReadFile(std::string(PASTEBIN_SOURCE_DIR) + "/man/" + name);
}

// How a flag appears in roff source: every '-' escaped as "\-".
std::string RoffFlag(const std::string& flag) {
  std::string out;
  for (char c : flag) {
    if (c == '-') out += "\\";
    out += c;
  }
  return out;
}

TEST_CASE("pasted.conf(5) documents every settings key") {
  std::string page = ManPage("pasted.conf.5");
  for (const auto& def : SettingDefs()) {
    INFO(def.key);
    CHECK(page.find(std::string(".BI ") + def.key + " ") != std::string::npos);
  }
}

TEST_CASE("pasted(8) documents every flag") {
  std::string page = ManPage("pasted.8");
  for (const auto& def : SettingDefs()) {
    std::string flag = RoffFlag(FlagName(def.key));
    INFO(flag);
    CHECK(page.find(".BI " + flag + " ") != std::string::npos);
    // The value is called what --help calls it (the page alternates fonts:
    // .BI \-\-listen " HOST" : PORT reads HOST:PORT).
    size_t at = page.find(".BI " + flag + " ");
    if (at == std::string::npos) continue;
    at += 5 + flag.size();
    std::string shown;
    for (char c : page.substr(at, page.find('\n', at) - at)) {
      if (c != '"' && c != ' ') shown += c;
    }
    CHECK(shown == RoffFlag(SettingValueName(def)));
  }
  for (const char* flag : {"--config", "--help", "--version"}) {
    CHECK(page.find(RoffFlag(flag)) != std::string::npos);
  }
}

// The text of a man page entry: from its ".BI " + name line to the next
// .TP or section.
std::string Entry(const std::string& page, const std::string& name) {
  size_t at = page.find(".BI " + name + " ");
  if (at == std::string::npos) return "";
  size_t end = page.find("\n.TP", at);
  size_t section = page.find("\n.SH", at);
  return page.substr(at, std::min(end, section) - at);
}

// What an entry says the default is: "Default X", "Default\n.B X",
// "Default\n.BR X ." — the first word after it, without roff.
std::string StatedDefault(const std::string& entry) {
  std::smatch m;
  if (!std::regex_search(entry, m, std::regex(R"(Default:?\s+(?:\.BR?\s+)?([^\s(,;]+))"))) {
    return "";
  }
  std::string word = m[1];
  while (!word.empty() && (word.back() == '.' || word.back() == ':')) word.pop_back();
  std::string out;
  for (size_t i = 0; i < word.size(); ++i) {
    if (word[i] == '\\' && i + 1 < word.size()) continue;  // \- is -
    out += word[i];
  }
  return out;
}

TEST_CASE("the man pages and the shipped pasted.conf state the table's defaults") {
  std::string conf5 = ManPage("pasted.conf.5"), pasted8 = ManPage("pasted.8");
  std::string shipped =
      testing::ReadFile(std::string(PASTEBIN_SOURCE_DIR) + "/scripts/pasted.conf");
  int checked = 0;
  for (const auto& def : SettingDefs()) {
    std::string want = def.default_value;
    if (want.empty()) continue;
    INFO(def.key);
    std::string in5 = StatedDefault(Entry(conf5, def.key));
    std::string in8 = StatedDefault(Entry(pasted8, RoffFlag(FlagName(def.key))));
    CHECK(in5 == want);
    CHECK(in8 == want);
    // A key the shipped file shows (set or commented out) shows its default.
    std::smatch m;
    if (std::regex_search(shipped, m,
                          std::regex("(^|\n)#?" + std::string(def.key) + " = ([^\n]*)"))) {
      CHECK(m[2] == want);
    }
    ++checked;
  }
  CHECK(checked > 20);
}

TEST_CASE("pastebin(1) documents every command and flag in --help") {
  std::string page = ManPage("pastebin.1");
  std::set<std::string> flags;
  std::regex flag_re(R"(--[a-z][a-z-]*)");
  std::vector<std::vector<std::string>> helps = {{"--help"}};
  for (const char* command : {"put", "get", "shorten", "delete", "list", "gc", "stats", "daemon"}) {
    helps.push_back({command, "--help"});
    INFO(command);
    CHECK(page.find(std::string(".B ") + command) != std::string::npos);
  }
  for (auto& args : helps) {
    args.insert(args.begin(), testing::BinaryPath("pastebin"));
    auto r = testing::Run(args);
    REQUIRE(r.exit_code == 0);
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), flag_re), end; it != end; ++it) {
      flags.insert(it->str());
    }
  }
  REQUIRE(flags.count("--expire"));
  for (const auto& flag : flags) {
    INFO(flag);
    CHECK(page.find(RoffFlag(flag)) != std::string::npos);
  }
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

TEST_CASE("man pages are mandoc -Tlint clean") {
  if (!testing::HaveProgram("mandoc")) testing::SkipTest("mandoc is not installed");
  for (const char* page : {"pastebin.1", "pasted.8", "pasted.conf.5"}) {
    INFO(page);
    auto r = testing::Run({"/usr/bin/env", "mandoc", "-Tlint", "-Wall",
                           std::string(PASTEBIN_SOURCE_DIR) + "/man/" + page});
    CHECK(r.out + r.err == "");
    CHECK(r.exit_code == 0);
  }
}

}  // namespace
}  // namespace pastebin

namespace pastebin {
namespace {

// A man page as a reader sees it: rendered by mandoc, overstrikes removed.
std::string Rendered(const std::string& page) {
  auto r = testing::Run({"/usr/bin/env", "mandoc", "-Tascii", "-Owidth=100",
                         std::string(PASTEBIN_SOURCE_DIR) + "/man/" + page});
  REQUIRE(r.exit_code == 0);
  std::string out;
  for (size_t i = 0; i < r.out.size(); ++i) {
    if (i + 1 < r.out.size() && r.out[i + 1] == '\b') {
      ++i;  // "X\bX" (bold) and "_\bX" (underline): the second is the letter
      continue;
    }
    out += r.out[i];
  }
  return out;
}

TEST_CASE("rendered man pages leak no markup and give every pastebin flag its own heading") {
  if (!testing::HaveProgram("mandoc")) testing::SkipTest("mandoc is not installed");
  for (const char* page : {"pastebin.1", "pasted.8", "pasted.conf.5"}) {
    INFO(page);
    std::string text = Rendered(page);
    // Regression: ".TP" run onto the end of a line lost three headings.
    CHECK(text.find(".TP") == std::string::npos);
    CHECK(text.find("\\f") == std::string::npos);
    CHECK(text.find("threads worker threads") == std::string::npos);
    CHECK(text.find("}\".") == std::string::npos);  // a JSON example's stray quote
  }
  // Every flag of every pastebin command starts a line of its own: the
  // heading of its entry (as "-e, --expire DURATION" or "--json").
  std::string text = Rendered("pastebin.1");
  for (const char* command : {"put", "get", "shorten", "delete", "list", "gc", "stats", "daemon"}) {
    auto r = testing::Run({testing::BinaryPath("pastebin"), command, "--help"});
    REQUIRE(r.exit_code == 0);
    std::regex flag_re(R"(--[a-z][a-z-]*)");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), flag_re), end; it != end; ++it) {
      std::string flag = it->str();
      if (flag == "--help") continue;
      INFO(command << " " << flag);
      std::regex heading("\n +(-[A-Za-z], )?" + flag + "([ ,=\n]|$)");
      CHECK(std::regex_search(text, heading));
    }
  }
}

// The README's way to read the manuals before installing: man -M build/man.
TEST_CASE("man finds the pages in the build tree, as the README says") {
  if (!testing::HaveProgram("man")) testing::SkipTest("man is not installed (Debian: man-db)");
  for (const char* page : {"pastebin", "pasted", "pasted.conf"}) {
    INFO(page);
    auto r = testing::Run({"/usr/bin/env", "MANPAGER=cat", "MANWIDTH=80", "man", "-M",
                           std::string(PASTEBIN_BUILD_DIR) + "/man", page});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("NAME"));
    CHECK_THAT(r.out, Catch::Contains(std::string(page) + " "));
  }
  std::string readme = testing::ReadFile(std::string(PASTEBIN_SOURCE_DIR) + "/README.md");
  CHECK_THAT(readme, Catch::Contains("man -M build/man pastebin"));
}

}  // namespace
}  // namespace pastebin
