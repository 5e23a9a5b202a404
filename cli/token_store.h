// TokenStore: the delete tokens of pastes this user created, kept in
// $XDG_STATE_HOME/pastebin/tokens (default ~/.local/state/pastebin/tokens),
// a 0600 file in a 0700 folder, one "shortlink<TAB>token<TAB>url" a line.
#ifndef PASTEBIN_CLI_TOKEN_STORE_H_
#define PASTEBIN_CLI_TOKEN_STORE_H_

#include <optional>
#include <string>

#include "common/status.h"

namespace pastebin {

class TokenStore {
 public:
  // The store at its default path (from the environment); path() is empty
  // when neither XDG_STATE_HOME nor HOME is set.
  static TokenStore Default();
  explicit TokenStore(std::string path) : path_(std::move(path)) {}

  // Appends one entry, creating the folder and file with private modes.
  // kInvalidArgument (and nothing written) unless shortlink is a shortlink,
  // token is hex and url an http(s) URL of printable ASCII.
  Status Save(const std::string& shortlink, const std::string& token, const std::string& url) const;

  // The newest token saved for shortlink, if any.
  std::optional<std::string> Find(const std::string& shortlink) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace pastebin

#endif  // PASTEBIN_CLI_TOKEN_STORE_H_
