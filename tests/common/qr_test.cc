#include "common/qr.h"

#include <catch2/catch.hpp>
#include <regex>

#include "tests/support/qr_image.h"
#include "tests/support/subprocess.h"

namespace pastebin {
namespace {

TEST_CASE("a link drawn for a terminal scans back to the link") {
  if (!testing::HaveProgram("zbarimg")) testing::SkipTest("zbarimg is not installed (zbar-tools)");
  for (const std::string url :
       {"http://127.0.0.1:8077/Ab3dE9x", "https://paste.example.org/pastebin/Zz9yY8x"}) {
    INFO(url);
    auto qr = EncodeQr(url);
    REQUIRE(qr.ok());
    std::string text = QrForTerminal(*qr);
    // The quiet zone: the first line is light all along.
    CHECK(text.rfind("\u2588\u2588\u2588\u2588", 0) == 0);
    CHECK(testing::ScanModules(testing::ModulesFromTerminal(text)) == url);
  }
}

TEST_CASE("a link's SVG holds its modules and nothing that runs") {
  if (!testing::HaveProgram("zbarimg")) testing::SkipTest("zbarimg is not installed (zbar-tools)");
  std::string url = "http://127.0.0.1:8077/Ab3dE9x";
  auto qr = EncodeQr(url);
  REQUIRE(qr.ok());
  std::string svg = QrSvg(*qr, 200);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("href") == std::string::npos);
  // Redraw the modules from the path, as a renderer would, and scan them.
  int side = qr->size + 8;
  testing::Modules modules(side, std::vector<bool>(side, false));
  std::regex square(R"(M(\d+) (\d+)h1v1h-1z)");
  for (std::sregex_iterator it(svg.begin(), svg.end(), square), end; it != end; ++it) {
    modules[std::stoi((*it)[2])][std::stoi((*it)[1])] = true;
  }
  CHECK(testing::ScanModules(modules) == url);
}

TEST_CASE("text too long for a QR code is refused") {
  CHECK(EncodeQr(std::string(8000, 'x')).status().code() == Code::kInvalidArgument);
}

}  // namespace
}  // namespace pastebin
