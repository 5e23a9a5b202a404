#include "tests/support/qr_image.h"

#include <fstream>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace pastebin::testing {

Modules ModulesFromTerminal(const std::string& text) {
  Modules rows;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    at = nl == std::string::npos ? text.size() : nl + 1;
    std::vector<bool> top, bottom;
    for (size_t i = 0; i < line.size();) {
      bool light_top = false, light_bottom = false;
      if (line.compare(i, 3, "\u2588") == 0) {
        light_top = light_bottom = true;
        i += 3;
      } else if (line.compare(i, 3, "\u2580") == 0) {
        light_top = true;
        i += 3;
      } else if (line.compare(i, 3, "\u2584") == 0) {
        light_bottom = true;
        i += 3;
      } else {
        i += 1;  // ' '
      }
      top.push_back(!light_top);
      bottom.push_back(!light_bottom);
    }
    rows.push_back(top);
    rows.push_back(bottom);
  }
  return rows;
}

std::string ScanModules(const Modules& modules) {
  constexpr int kScale = 8;
  TempDir dir;
  size_t width = 0;
  for (const auto& row : modules) width = std::max(width, row.size());
  std::ofstream out(dir / "qr.pbm");
  out << "P1\n" << width * kScale << " " << modules.size() * kScale << "\n";
  for (const auto& row : modules) {
    for (int s = 0; s < kScale; ++s) {
      for (size_t x = 0; x < width; ++x) {
        bool dark = x < row.size() && row[x];
        for (int t = 0; t < kScale; ++t) out << (dark ? "1 " : "0 ");
      }
      out << "\n";
    }
  }
  out.close();
  return ScanImage(dir / "qr.pbm");
}

std::string ScanImage(const std::string& path) {
  auto r = Run({"/usr/bin/env", "zbarimg", "--quiet", "--raw", path});
  std::string s = r.out;
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return r.exit_code == 0 ? s : "";
}

}  // namespace pastebin::testing
