// What counts as text: UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF) without NUL bytes.
#ifndef PASTEBIN_COMMON_TEXT_H_
#define PASTEBIN_COMMON_TEXT_H_

#include <string_view>

#include "common/status.h"

namespace pastebin {

// OK for text; kNotText naming `what` (e.g. "paste", "file notes.txt") and the
// offset of the first offending byte otherwise.
Status CheckText(std::string_view bytes, std::string_view what);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_TEXT_H_
