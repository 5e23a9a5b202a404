#include "common/qr.h"

#include <qrencode.h>

namespace pastebin {
namespace {

constexpr int kQuiet = 4;  // modules of light border, as the standard asks

}  // namespace

Result<QrCode> EncodeQr(std::string_view text) {
  std::string s(text);
  QRcode* code = QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M);
  if (!code)
    return InvalidArgument("cannot make a QR code of " + std::to_string(s.size()) + " bytes");
  QrCode out;
  out.size = code->width;
  out.dark.resize(static_cast<size_t>(code->width) * code->width);
  for (size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = code->data[i] & 1;
  QRcode_free(code);
  return out;
}

std::string QrForTerminal(const QrCode& qr) {
  std::string out;
  for (int y = -kQuiet; y < qr.size + kQuiet; y += 2) {
    for (int x = -kQuiet; x < qr.size + kQuiet; ++x) {
      bool top = !qr.Dark(x, y), bottom = y + 1 < qr.size + kQuiet && !qr.Dark(x, y + 1);
      out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
    }
    out += "\n";
  }
  return out;
}

std::string QrSvg(const QrCode& qr, int pixels) {
  int side = qr.size + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size; ++x) {
      if (!qr.Dark(x, y)) continue;
      path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
    }
  }
  std::string n = std::to_string(side);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"" +
         std::to_string(pixels) + "\" height=\"" + std::to_string(pixels) + "\" viewBox=\"0 0 " +
         n + " " + n + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">" +
         "<rect width=\"" + n + "\" height=\"" + n + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" +
         path + "\"/></svg>";
}

}  // namespace pastebin
