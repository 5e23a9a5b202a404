// The pages' icon, drawn in code rather than shipped as a binary file.
#ifndef PASTEBIN_DAEMON_PAGES_FAVICON_H_
#define PASTEBIN_DAEMON_PAGES_FAVICON_H_

#include <string>

namespace pastebin {

// A 16x16 32-bit ICO file: a page with a folded corner and lines of text.
std::string DrawFavicon();

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_PAGES_FAVICON_H_
