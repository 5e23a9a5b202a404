// A fresh directory under $TMPDIR, removed with everything in it on
// destruction.
#ifndef PASTEBIN_TESTS_SUPPORT_TEMP_DIR_H_
#define PASTEBIN_TESTS_SUPPORT_TEMP_DIR_H_

#include <cstdint>
#include <string>
#include <vector>

namespace pastebin::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole-file helpers; they abort the test (via REQUIRE in the caller's
// stead: they throw std::runtime_error) when the file cannot be used.
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);
// The size of the file at path in bytes; 0 when there is none.
int64_t FileSize(const std::string& path);
// Regular files below dir, recursively, as paths relative to dir.
std::vector<std::string> ListFiles(const std::string& dir);

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_TEMP_DIR_H_
