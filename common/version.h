#ifndef PASTEBIN_COMMON_VERSION_H_
#define PASTEBIN_COMMON_VERSION_H_

namespace pastebin {

// The product version, from CMakeLists.txt's project() line.
const char* Version();

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_VERSION_H_
