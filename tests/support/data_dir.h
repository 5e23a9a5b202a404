// Looking into a pasted data dir from a test: what is stored, whatever the
// layout (small bodies in the database, large ones as files).
#ifndef PASTEBIN_TESTS_SUPPORT_DATA_DIR_H_
#define PASTEBIN_TESTS_SUPPORT_DATA_DIR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pastebin::testing {

struct PasteRow {
  std::string shortlink;
  std::string paste_path;  // "" for an inline body or a short link
  bool inline_body = false;
};

// Every row of the pastes table in data_dir/pastes.db.
std::vector<PasteRow> PasteRows(const std::string& data_dir);

// Bodies stored: rows of the bodies table plus files under content/
// (content/tmp of older data dirs not counted).
size_t StoredBodies(const std::string& data_dir);

// Bytes the bodies take as stored: the bodies table's blobs plus the body
// files' sizes.
int64_t BodyBytes(const std::string& data_dir);

// Files under data_dir/content, as paths relative to it.
std::vector<std::string> BodyFiles(const std::string& data_dir);

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_DATA_DIR_H_
