#include "cli/token_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "common/shortlink.h"
#include "common/strings.h"
#include "common/url.h"

namespace pastebin {
namespace {}  // namespace

TokenStore TokenStore::Default() {
  std::string dir = XdgPastebinDir("XDG_STATE_HOME", ".local/state");
  return TokenStore(dir.empty() ? "" : dir + "/tokens");
}

Status TokenStore::Save(const std::string& shortlink, const std::string& token,
                        const std::string& url) const {
  if (path_.empty()) {
    return Internal("neither XDG_STATE_HOME nor HOME is set");
  }
  // One entry is one line of three tab-separated fields: nothing from a
  // server may add a line or a field.
  bool token_ok = !token.empty() && token.size() <= 128 &&
                  token.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!IsValidShortlink(shortlink) || !token_ok || !CheckLinkTarget(url).ok()) {
    return InvalidArgument("the server's answer does not look like a paste's");
  }
  std::string dir = path_.substr(0, path_.rfind('/'));
  if (!MakePrivateDirs(dir)) {
    return Internal("cannot create " + dir + ": " + strerror(errno));
  }
  int fd = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot open " + path_ + ": " + strerror(errno));
  std::string line = shortlink + "\t" + token + "\t" + url + "\n";
  // O_APPEND and one write per line: concurrent puts never interleave.
  ssize_t n = write(fd, line.data(), line.size());
  int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(line.size())) {
    return Internal("cannot write " + path_ + ": " + strerror(err));
  }
  return Status::Ok();
}

std::optional<std::string> TokenStore::Find(const std::string& shortlink) const {
  std::ifstream in(path_);
  std::optional<std::string> found;
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos || line.compare(0, tab, shortlink) != 0) continue;
    size_t tab2 = line.find('\t', tab + 1);
    found = line.substr(tab + 1, tab2 == std::string::npos ? std::string::npos : tab2 - tab - 1);
  }
  return found;
}

}  // namespace pastebin
