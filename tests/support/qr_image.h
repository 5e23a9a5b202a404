// Reading QR codes back, as a phone would: a picture (a PBM image drawn
// from modules) handed to zbarimg (Debian's zbar-tools).
#ifndef PASTEBIN_TESTS_SUPPORT_QR_IMAGE_H_
#define PASTEBIN_TESTS_SUPPORT_QR_IMAGE_H_

#include <string>
#include <vector>

namespace pastebin::testing {

// Rows of modules, true for dark, quiet zone included.
using Modules = std::vector<std::vector<bool>>;

// The modules a QR drawn for a terminal shows: two rows a line, '█' both
// light, '▀' top light, '▄' bottom light, ' ' both dark.
Modules ModulesFromTerminal(const std::string& text);

// What zbarimg reads in an image of modules (each 8 pixels a side), or in
// the image file path; "" when it finds no code.
std::string ScanModules(const Modules& modules);
std::string ScanImage(const std::string& path);

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_QR_IMAGE_H_
