// What the pages load, all compiled into pasted (no files to install, no
// downloads): the stylesheet and script (app.css, app.js), highlight.js
// and its styles, the icon, and robots.txt.
#ifndef PASTEBIN_DAEMON_PAGES_ASSETS_H_
#define PASTEBIN_DAEMON_PAGES_ASSETS_H_

#include <string_view>

namespace pastebin {

// A compiled-in asset by name ("app.css", "app.js", "highlight.js",
// "highlight.css"): its bytes and type; false if there is none.
bool StaticAsset(std::string_view name, std::string_view* bytes, std::string_view* type);
// The asset gzipped, for the ones over 1 KB ("" for the others and unknown
// names): all compressed once, by the first caller. Thread-safe.
std::string_view GzippedAsset(std::string_view name);

// A short digest of the asset's bytes ("" for unknown names): the pages
// ask for /static/NAME?v=VERSION, which may be cached for a year, since a
// new build that changes it changes the address too.
std::string_view AssetVersion(std::string_view name);

// GET /robots.txt: crawlers may see the front page and nothing else.
std::string_view RobotsTxt();
// GET /favicon.ico: a 16x16 icon (an ICO file, drawn once).
std::string_view FaviconIco();

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_PAGES_ASSETS_H_
