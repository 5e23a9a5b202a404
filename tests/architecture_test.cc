// The architecture as the includes show it (docs/ARCHITECTURE.md, "Parts"):
// every part of daemon/ has a rank, and a file may include only its own
// part or a part ranked below it — never back up. A new part must be given
// a rank here and a place in the document.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>

namespace pastebin {
namespace {

namespace fs = std::filesystem;

// Lowest first; the same rank for two parts means neither may include the
// other.
const std::map<std::string, int> kRanks = {
    {"base", 0},         {"http", 1},         {"tcp", 2},           {"store", 3},
    {"public_error", 3}, {"token", 3},        {"paste_cache", 4},   {"metrics", 4},
    {"stats", 4},        {"settings", 4},     {"paste_service", 5}, {"pages", 6},
    {"transfer", 6},     {"front", 7},        {"api", 8},           {"web", 8},
    {"routes", 9},       {"command_line", 9}, {"daemon", 10},       {"main", 11},
};

// daemon/front/answer.h → "front"; daemon/paste_service.cc → "paste_service".
std::string PartOf(const std::string& path_in_daemon) {
  size_t slash = path_in_daemon.find('/');
  if (slash != std::string::npos) return path_in_daemon.substr(0, slash);
  return path_in_daemon.substr(0, path_in_daemon.find('.'));
}

struct Include {
  std::string from;  // path under daemon/
  std::string to;
};

std::vector<Include> DaemonIncludes() {
  fs::path root = fs::path(PASTEBIN_SOURCE_DIR) / "daemon";
  std::vector<Include> out;
  std::regex include("^#include \"daemon/([^\"]+)\"");
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string ext = entry.path().extension();
    if (ext != ".h" && ext != ".cc") continue;
    std::string from = fs::relative(entry.path(), root).string();
    std::ifstream in(entry.path());
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_search(line, m, include)) out.push_back({from, m[1]});
    }
  }
  return out;
}

TEST_CASE("every part of daemon/ has a rank") {
  fs::path root = fs::path(PASTEBIN_SOURCE_DIR) / "daemon";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string ext = entry.path().extension();
    if (ext != ".h" && ext != ".cc") continue;
    std::string part = PartOf(fs::relative(entry.path(), root).string());
    INFO(entry.path().string());
    CHECK(kRanks.count(part) == 1);
  }
}

TEST_CASE("includes only point down: no part reaches back up") {
  auto includes = DaemonIncludes();
  REQUIRE(includes.size() > 100);
  for (const Include& i : includes) {
    std::string from = PartOf(i.from), to = PartOf(i.to);
    if (from == to || !kRanks.count(from) || !kRanks.count(to)) continue;
    INFO(i.from << " includes daemon/" << i.to);
    CHECK(kRanks.at(from) > kRanks.at(to));
  }
}

TEST_CASE("daemon.h is main's alone, and no handler names Daemon") {
  for (const Include& i : DaemonIncludes()) {
    INFO(i.from);
    if (i.to == "daemon.h") CHECK((i.from == "main.cc" || i.from == "daemon.cc"));
  }
  fs::path root = fs::path(PASTEBIN_SOURCE_DIR) / "daemon";
  std::regex names_daemon("\\bDaemon\\b");
  for (const char* folder : {"api", "web", "front", "pages"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      INFO(entry.path().string());
      CHECK_FALSE(std::regex_search(text, names_daemon));
    }
  }
}

TEST_CASE("nothing above store/ names a store implementation") {
  for (const Include& i : DaemonIncludes()) {
    if (PartOf(i.from) == "store") continue;
    INFO(i.from << " includes daemon/" << i.to);
    CHECK(i.to.rfind("store/sqlite/", 0) != 0);
    CHECK(i.to.rfind("store/postgres/", 0) != 0);
  }
}

}  // namespace
}  // namespace pastebin
