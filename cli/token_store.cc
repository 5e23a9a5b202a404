#include "cli/token_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "common/shortlink.h"
#include "common/strings.h"
#include "common/text.h"
#include "common/time_format.h"
#include "common/url.h"

namespace pastebin {
namespace {

// Holds path + ".lock" locked (flock) while alive: appends and rewrites
// take it, so a rewrite never drops a line appended meanwhile.
class StoreLock {
 public:
  explicit StoreLock(const std::string& path) {
    fd_ = open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0 && flock(fd_, LOCK_EX) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~StoreLock() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// path's contents replaced by a new file (mode 0600) renamed over it: a
// crash leaves the old file or the new one, never half of either.
Status ReplaceFile(const std::string& path, const std::string& contents) {
  std::string tmp = path + ".new";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot write " + tmp + ": " + strerror(errno));
  bool written =
      write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
      fsync(fd) == 0;
  int err = errno;
  close(fd);
  if (!written || rename(tmp.c_str(), path.c_str()) != 0) {
    if (written) err = errno;
    unlink(tmp.c_str());
    return Internal("cannot rewrite " + path + ": " + strerror(err));
  }
  return Status::Ok();
}

std::string KindOf(const SavedPaste& p) {
  std::string kind;
  for (auto [on, word] :
       {std::pair{p.burns, "burns"}, {p.encrypted, "encrypted"}, {p.link, "link"}}) {
    if (on) kind += (kind.empty() ? "" : ",") + std::string(word);
  }
  return kind.empty() ? "-" : kind;
}

std::string LineOf(const SavedPaste& p) {
  std::string line = p.shortlink + "\t" + p.token + "\t" + p.url;
  if (!p.created_at.empty() || !p.expires_at.empty() || p.kind_saved) {
    line += "\t" + p.created_at + "\t" + p.expires_at;
  }
  if (p.kind_saved) {
    // A name is one field: no tab or newline may stay in it.
    line += "\t" + KindOf(p) + "\t" + (p.name.empty() ? "-" : EscapeControls(p.name));
  }
  return line + "\n";
}

std::optional<SavedPaste> ParseLine(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) f.push_back(field);
  if (f.size() != 3 && f.size() != 5 && f.size() != 7) return std::nullopt;
  if (!IsValidShortlink(f[0]) || f[1].empty()) return std::nullopt;
  SavedPaste p{f[0], f[1], f[2], "", ""};
  if (f.size() >= 5) {
    p.created_at = f[3];
    p.expires_at = f[4];
  }
  if (f.size() == 7) {
    p.kind_saved = true;
    std::stringstream kinds(f[5]);
    for (std::string k; std::getline(kinds, k, ',');) {
      p.burns = p.burns || k == "burns";
      p.encrypted = p.encrypted || k == "encrypted";
      p.link = p.link || k == "link";
    }
    if (f[6] != "-") p.name = f[6];
  }
  return p;
}

}  // namespace

TokenStore TokenStore::Default() {
  std::string dir = XdgPastebinDir("XDG_STATE_HOME", ".local/state");
  return TokenStore(dir.empty() ? "" : dir + "/tokens");
}

Status TokenStore::Save(const SavedPaste& p) const {
  if (path_.empty()) {
    return Internal("neither XDG_STATE_HOME nor HOME is set");
  }
  // One entry is one line of tab-separated fields: nothing from a server
  // may add a line or a field.
  bool token_ok = !p.token.empty() && p.token.size() <= 128 &&
                  p.token.find_first_not_of("0123456789abcdef") == std::string::npos;
  bool times_ok = (p.created_at.empty() || ParseRfc3339(p.created_at)) &&
                  (p.expires_at.empty() || p.expires_at == "never" || ParseRfc3339(p.expires_at));
  if (!IsValidShortlink(p.shortlink) || !token_ok || !CheckLinkTarget(p.url).ok() || !times_ok) {
    return InvalidArgument("the server's answer does not look like a paste's");
  }
  std::string dir = path_.substr(0, path_.rfind('/'));
  if (!MakePrivateDirs(dir)) {
    return Internal("cannot create " + dir + ": " + strerror(errno));
  }
  StoreLock lock(path_);
  if (!lock.ok()) return Internal("cannot lock " + path_ + ".lock: " + strerror(errno));
  int fd = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot open " + path_ + ": " + strerror(errno));
  std::string line = LineOf(p);
  ssize_t n = write(fd, line.data(), line.size());
  int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(line.size())) {
    return Internal("cannot write " + path_ + ": " + strerror(err));
  }
  return Status::Ok();
}

namespace {

constexpr size_t kBurnedKept = 256;

std::string WithoutFragment(const std::string& url) { return url.substr(0, url.find('#')); }

}  // namespace

Status TokenStore::NoteBurned(const std::string& url, const std::string& read_at) const {
  if (path_.empty()) return Internal("neither XDG_STATE_HOME nor HOME is set");
  std::string link = WithoutFragment(url);
  if (!CheckLinkTarget(link).ok() || !ParseRfc3339(read_at)) {
    return InvalidArgument("not a paste's link and time");
  }
  std::string dir = path_.substr(0, path_.rfind('/'));
  if (!MakePrivateDirs(dir)) return Internal("cannot create " + dir + ": " + strerror(errno));
  std::string file = dir + "/burned";
  StoreLock lock(path_);
  if (!lock.ok()) return Internal("cannot lock " + path_ + ".lock: " + strerror(errno));
  std::vector<std::string> lines;
  {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  lines.push_back(link + "\t" + read_at);
  size_t first = lines.size() > kBurnedKept ? lines.size() - kBurnedKept : 0;
  std::string kept;
  for (size_t i = first; i < lines.size(); ++i) kept += lines[i] + "\n";
  return ReplaceFile(file, kept);
}

std::optional<std::string> TokenStore::BurnedAt(const std::string& url) const {
  if (path_.empty()) return std::nullopt;
  std::string link = WithoutFragment(url);
  std::ifstream in(path_.substr(0, path_.rfind('/')) + "/burned");
  std::optional<std::string> found;
  for (std::string line; std::getline(in, line);) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos && line.compare(0, tab, link) == 0 && tab == link.size()) {
      found = line.substr(tab + 1);
    }
  }
  return found;
}

std::optional<std::string> TokenStore::Find(const std::string& shortlink) const {
  std::optional<std::string> found;
  for (const SavedPaste& p : List()) {
    if (p.shortlink == shortlink) found = p.token;
  }
  return found;
}

std::vector<SavedPaste> TokenStore::List() const {
  std::vector<SavedPaste> out;
  if (path_.empty()) return out;
  std::ifstream in(path_);
  for (std::string line; std::getline(in, line);) {
    if (auto p = ParseLine(line)) out.push_back(std::move(*p));
  }
  return out;
}

Result<size_t> TokenStore::Remove(const std::function<bool(const SavedPaste&)>& gone) const {
  if (path_.empty()) return size_t{0};
  // No file, nothing to forget (and no directory to lock in).
  if (access(path_.c_str(), F_OK) != 0 && errno == ENOENT) return size_t{0};
  StoreLock lock(path_);
  if (!lock.ok()) return Internal("cannot lock " + path_ + ".lock: " + strerror(errno));
  std::ifstream in(path_);
  if (!in) return size_t{0};
  std::string kept;
  size_t dropped = 0;
  for (std::string line; std::getline(in, line);) {
    auto p = ParseLine(line);
    if (p && gone(*p)) {
      ++dropped;
    } else {
      kept += line + "\n";  // lines that are no entry stay as they were
    }
  }
  if (dropped == 0) return dropped;
  if (Status s = ReplaceFile(path_, kept); !s.ok()) return s;
  return dropped;
}

}  // namespace pastebin
