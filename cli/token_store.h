// TokenStore: the pastes this user created and their delete tokens, kept in
// $XDG_STATE_HOME/pastebin/tokens (default ~/.local/state/pastebin/tokens),
// a 0600 file in a 0700 folder, one paste a line:
//   shortlink<TAB>token<TAB>url[<TAB>created_at<TAB>expires_at[<TAB>kind<TAB>name]]
// (times RFC 3339 UTC, expires_at "never"; kind "-" or a comma list of
// burns, encrypted, link; name the file given to put, "-" for none). Lines
// from older versions have the first three or five fields. Writers
// serialize on tokens.lock beside it.
#ifndef PASTEBIN_CLI_TOKEN_STORE_H_
#define PASTEBIN_CLI_TOKEN_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace pastebin {

struct SavedPaste {
  std::string shortlink;
  std::string token;
  std::string url;
  std::string created_at;  // RFC 3339, "" when not saved
  std::string expires_at;  // RFC 3339, "never", or "" when not saved
  // What put knew of it; kind_saved is false on older lines, which did
  // not say.
  bool kind_saved = false;
  bool burns = false;
  bool encrypted = false;
  bool link = false;  // a short link (shorten)
  std::string name;   // the file given to put; "" for standard input
};

class TokenStore {
 public:
  // The store at its default path (from the environment); path() is empty
  // when neither XDG_STATE_HOME nor HOME is set.
  static TokenStore Default();
  explicit TokenStore(std::string path) : path_(std::move(path)) {}

  // Appends one entry, creating the folder and file with private modes.
  // kInvalidArgument (and nothing written) unless shortlink is a shortlink,
  // token is hex, url an http(s) URL of printable ASCII, and the times
  // RFC 3339 (or "", or "never" for expires_at). The name is kept with its
  // control characters escaped (EscapeControls), so it stays one field.
  Status Save(const SavedPaste& paste) const;

  // The newest token saved for shortlink, if any.
  std::optional<std::string> Find(const std::string& shortlink) const;

  // Every entry, oldest first; lines that are not entries are skipped.
  std::vector<SavedPaste> List() const;

  // Drops every entry gone(entry) is true for, rewriting the file (a new
  // file renamed over it, so a crash leaves the old one or the new one).
  // Returns how many were dropped.
  Result<size_t> Remove(const std::function<bool(const SavedPaste&)>& gone) const;

  // Burned pastes read here: "burned" beside the token file, a line
  // each (url<TAB>time read), the newest 256 kept. What lets a second get
  // say that the paste burned rather than that it never was. url without
  // its fragment (an encrypted paste's key is not kept).
  Status NoteBurned(const std::string& url, const std::string& read_at) const;
  // When url was burned by a read here, if it was.
  std::optional<std::string> BurnedAt(const std::string& url) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace pastebin

#endif  // PASTEBIN_CLI_TOKEN_STORE_H_
