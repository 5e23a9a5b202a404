#include "daemon/pages/assets.h"

#include <cstdint>
#include <cstdio>
#include <map>

#include "daemon/pages/favicon.h"
#include "daemon/store/body_codec.h"

namespace pastebin {

// Compiled in at build time (generated/page_assets.cc): highlight.js and
// its styles from Debian's libjs-highlight.js, and the pages' own
// stylesheet and script (daemon/pages/assets/).
extern const char kHighlightJs[];
extern const char kHighlightCss[];
extern const char kAppCss[];
extern const char kAppJs[];
extern const char kHlWorkerJs[];

std::string_view RobotsTxt() {
  // Pastes are people's text, not pages to index: only the front page (and
  // what it loads). The paste pages say noindex too, for crawlers that
  // come by a link.
  return "# pasted: pastes are people's text, not pages to index; only the front page is.\n"
         "User-agent: *\nAllow: /$\nAllow: /static/\nAllow: /favicon.ico\nDisallow: /\n";
}

std::string_view FaviconIco() {
  static const std::string kIco = DrawFavicon();
  return kIco;
}

bool StaticAsset(std::string_view name, std::string_view* bytes, std::string_view* type) {
  if (name == "highlight.js") {
    static const std::string_view kJs(kHighlightJs);  // its length, once
    *bytes = kJs;
    *type = "text/javascript; charset=utf-8";
    return true;
  }
  if (name == "highlight.css") {
    static const std::string_view kCssView(kHighlightCss);
    *bytes = kCssView;
    *type = "text/css; charset=utf-8";
    return true;
  }
  if (name == "app.css") {
    static const std::string_view kCss(kAppCss);
    *bytes = kCss;
    *type = "text/css; charset=utf-8";
    return true;
  }
  if (name == "app.js") {
    static const std::string_view kJs(kAppJs);
    *bytes = kJs;
    *type = "text/javascript; charset=utf-8";
    return true;
  }
  if (name == "hl-worker.js") {
    static const std::string_view kJs(kHlWorkerJs);
    *bytes = kJs;
    *type = "text/javascript; charset=utf-8";
    return true;
  }
  return false;
}

namespace {

// name -> what make(bytes) says of each compiled-in asset, made once, by
// the first caller (thread-safe: a function-local static).
using AssetTable = std::map<std::string, std::string, std::less<>>;
AssetTable MakeTable(std::string (*make)(std::string_view bytes)) {
  AssetTable out;
  for (const char* asset : {"app.css", "app.js", "highlight.js", "highlight.css", "hl-worker.js"}) {
    std::string_view bytes, type;
    if (StaticAsset(asset, &bytes, &type)) out[asset] = make(bytes);
  }
  return out;
}

std::string_view Lookup(const AssetTable& table, std::string_view name) {
  auto it = table.find(name);
  return it == table.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace

std::string_view AssetVersion(std::string_view name) {
  static const AssetTable kVersions = MakeTable([](std::string_view bytes) {
    // FNV-1a, 64 bits: enough to tell builds apart, no secret in it.
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    char hex[17];
    snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
    return std::string(hex, 12);
  });
  return Lookup(kVersions, name);
}

std::string_view GzippedAsset(std::string_view name) {
  // Only the ones over 1 KB: "" (none) for the rest.
  static const AssetTable kGzipped = MakeTable([](std::string_view bytes) {
    return bytes.size() > 1024 ? GzipCompress(bytes, 9) : std::string();
  });
  return Lookup(kGzipped, name);
}

}  // namespace pastebin
