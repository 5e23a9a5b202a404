// What counts as text: UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF) without NUL bytes.
#ifndef PASTEBIN_COMMON_TEXT_H_
#define PASTEBIN_COMMON_TEXT_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace pastebin {

// OK for text; kNotText naming `what` (e.g. "paste", "file notes.txt") and the
// offset of the first offending byte otherwise.
Status CheckText(std::string_view bytes, std::string_view what);

// s made safe to show on a terminal as one line: C0 and C1 control
// characters, DEL and bytes that are not UTF-8 become \xHH (backslashes
// double), so nothing a server sends can move the cursor, change colours or
// retitle the window. Valid UTF-8 text is kept as it is.
std::string EscapeControls(std::string_view s);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_TEXT_H_
