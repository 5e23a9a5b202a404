// QR codes of links (libqrencode): for a terminal, as text of half-block
// characters, and for a page, as SVG. Both keep the 4-module quiet zone a
// scanner needs.
#ifndef PASTEBIN_COMMON_QR_H_
#define PASTEBIN_COMMON_QR_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pastebin {

struct QrCode {
  int size = 0;            // modules a side, without the quiet zone
  std::vector<bool> dark;  // size * size, row by row
  bool Dark(int x, int y) const {
    return x >= 0 && y >= 0 && x < size && y < size && dark[y * size + x];
  }
};

// text (a URL) as a QR code, error correction level M; kInvalidArgument
// when it does not fit in one.
Result<QrCode> EncodeQr(std::string_view text);

// Two module rows a line: light modules drawn ('█', '▀', '▄'), dark ones
// blank, as qrencode -t UTF8 does: right on a dark terminal, and phones
// read it inverted too.
std::string QrForTerminal(const QrCode& qr);

// An SVG image (no script, no external reference): dark modules as one
// path on a light square, size scaled by its viewBox.
std::string QrSvg(const QrCode& qr, int pixels);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_QR_H_
