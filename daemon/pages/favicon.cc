#include "daemon/pages/favicon.h"

#include <cstdint>

namespace pastebin {

// A 16x16 32-bit ICO: a page with a folded corner and lines of text, drawn
// from this picture ('#' ink, '+' paper, '.' transparent).
std::string DrawFavicon() {
  static const char* kPicture[16] = {
      "................", "..##########....", "..#+++++++#+#...", "..#+++++++#++#..",
      "..#+++++++####..", "..#++++++++++#..", "..#+######+++#..", "..#++++++++++#..",
      "..#+########+#..", "..#++++++++++#..", "..#+#######++#..", "..#++++++++++#..",
      "..#+#####++++#..", "..#++++++++++#..", "..############..", "................"};
  auto le16 = [](std::string& s, uint16_t v) {
    s.push_back(static_cast<char>(v & 0xff));
    s.push_back(static_cast<char>(v >> 8));
  };
  auto le32 = [&](std::string& s, uint32_t v) {
    le16(s, static_cast<uint16_t>(v & 0xffff));
    le16(s, static_cast<uint16_t>(v >> 16));
  };
  std::string image;  // BITMAPINFOHEADER, BGRA rows bottom-up, AND mask
  le32(image, 40);
  le32(image, 16);
  le32(image, 32);  // twice the height: the colour rows, then the mask
  le16(image, 1);
  le16(image, 32);
  for (int i = 0; i < 6; ++i) le32(image, 0);
  for (int y = 15; y >= 0; --y) {
    for (int x = 0; x < 16; ++x) {
      char c = kPicture[y][x];
      uint32_t bgra = c == '#' ? 0xff2458b3u : c == '+' ? 0xfffafafau : 0x00000000u;
      // 0xAARRGGBB stored as B, G, R, A
      le32(image, bgra);
    }
  }
  for (int y = 15; y >= 0; --y) {
    uint32_t row = 0;  // a set bit is transparent; rows are padded to 32 bits
    for (int x = 0; x < 16; ++x) {
      if (kPicture[y][x] == '.') row |= 1u << (7 - x % 8) << (x / 8 * 8);
    }
    le32(image, row);
  }
  std::string ico;
  le16(ico, 0);  // reserved
  le16(ico, 1);  // an icon
  le16(ico, 1);  // one image
  ico.push_back(16);
  ico.push_back(16);
  ico.push_back(0);  // no palette
  ico.push_back(0);
  le16(ico, 1);   // planes
  le16(ico, 32);  // bits per pixel
  le32(ico, static_cast<uint32_t>(image.size()));
  le32(ico, 6 + 16);  // the image follows this one directory entry
  return ico + image;
}

}  // namespace pastebin
