#include "common/version.h"

namespace pastebin {

const char* Version() { return PASTEBIN_VERSION; }

}  // namespace pastebin
