#include "daemon/transfer/peer_sources.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <zstd.h>

#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "common/shortlink.h"
#include "common/text.h"
#include "daemon/token.h"

namespace pastebin {
namespace {

// Bodies larger than this are not read: no pastebin makes them.
constexpr size_t kMaxPeerBody = size_t{1} << 30;

// A delete token nobody is given: only the admin deletes such a paste.
std::string UnheldTokenHash(Random& random) { return HashToken(RandomHex(random, 32)); }

std::string Md5Hex(std::string_view s) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), digest, &n, EVP_md5(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read " + path + ": " + strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '+';
}

// Lines already made into pastes, handed out one by one: a header first
// and an end line counting them last.
class ListedSource : public PasteSource {
 public:
  Result<std::optional<ExportLine>> Next() override {
    if (!started_) {
      started_ = true;
      return std::optional<ExportLine>(ExportHeader{});
    }
    if (ended_) return std::optional<ExportLine>();
    if (auto paste = NextPaste(); paste.ok() && *paste) {
      counts_.pastes++;
      counts_.bytes += static_cast<int64_t>((*paste)->body.size());
      return std::optional<ExportLine>(std::move(**paste));
    } else if (!paste.ok()) {
      return paste.status();
    }
    ended_ = true;
    return std::optional<ExportLine>(counts_);
  }

 protected:
  // The next paste to import; nullopt after the last.
  virtual Result<std::optional<ExportPaste>> NextPaste() = 0;

 private:
  bool started_ = false, ended_ = false;
  ExportCounts counts_;
};

class HasteSource : public ListedSource {
 public:
  HasteSource(std::string dir, std::vector<std::string> keys, const Clock& clock, Random& random,
              Warn warn)
      : dir_(std::move(dir)),
        keys_(std::move(keys)),
        clock_(clock),
        random_(random),
        warn_(std::move(warn)) {}

  Status Init() {
    DIR* d = opendir(dir_.c_str());
    if (!d) {
      return InvalidArgument("cannot read haste's store " + dir_ + ": " + strerror(errno) +
                             "; give the directory haste's config names in storage.path");
    }
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() == 32 && name.find_first_not_of("0123456789abcdef") == std::string::npos) {
        files_.insert(name);
      }
    }
    closedir(d);
    return Status::Ok();
  }

 protected:
  Result<std::optional<ExportPaste>> NextPaste() override {
    while (next_ < keys_.size()) {
      const std::string& key = keys_[next_++];
      std::string file = Md5Hex(key);
      if (!files_.count(file)) continue;  // a key of a document since removed
      found_.insert(file);
      if (!IsValidShortlink(key) || IsReservedShortlink(key)) {
        warn_("haste key '" + key +
              "' cannot be a link here (6 to 16 letters, digits, - or +): left out");
        continue;
      }
      std::string path = dir_ + "/" + file;
      auto body = ReadWhole(path);
      if (!body.ok()) return body.status();
      if (body->empty() || !CheckText(*body, "document").ok()) {
        warn_("haste document " + key + " (" + path + ") is empty or not text: left out");
        continue;
      }
      struct stat st {};
      stat(path.c_str(), &st);
      ExportPaste p;
      p.record.shortlink = key;
      p.record.created_at = st.st_mtime > 0 ? st.st_mtime : clock_.NowSeconds();
      p.record.delete_token_hash = UnheldTokenHash(random_);
      p.body = std::move(body).value();
      return std::optional<ExportPaste>(std::move(p));
    }
    if (!told_) {
      told_ = true;
      size_t unknown = files_.size() - found_.size();
      if (unknown > 0) {
        warn_(std::to_string(unknown) + " of the " + std::to_string(files_.size()) +
              " documents in " + dir_ +
              " have no key in the keys given (haste names files by an md5 of the key, which "
              "cannot be undone): left out. Give haste's whole log, or every key");
      }
    }
    return std::optional<ExportPaste>();
  }

 private:
  std::string dir_;
  std::vector<std::string> keys_;
  const Clock& clock_;
  Random& random_;
  Warn warn_;
  std::set<std::string> files_, found_;
  size_t next_ = 0;
  bool told_ = false;
};

// 'YYYY-MM-DD HH:MM:SS' (SQLite's datetime(), UTC) as seconds.
std::optional<int64_t> ParseSqliteTime(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

Result<std::string> Unzstd(std::string_view in, const std::string& what) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::string out;
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  std::vector<char> chunk(ZSTD_DStreamOutSize());
  size_t rc = 1;
  while (src.pos < src.size || rc != 0) {
    ZSTD_outBuffer dst{chunk.data(), chunk.size(), 0};
    rc = ZSTD_decompressStream(ctx.get(), &dst, &src);
    if (ZSTD_isError(rc)) {
      return InvalidArgument(what + " is not zstd data (" + ZSTD_getErrorName(rc) + ")");
    }
    out.append(chunk.data(), dst.pos);
    if (out.size() > kMaxPeerBody) return InvalidArgument(what + " is larger than 1 GiB");
    if (dst.pos == 0 && src.pos == src.size && rc != 0) {
      return InvalidArgument(what + " ends in the middle of its zstd frame");
    }
  }
  return out;
}

// wastebin's database, read with SQLite's own API: it is another
// program's file, not one of pasted's stores.
class WastebinSource : public ListedSource {
 public:
  WastebinSource(std::string path, const Clock& clock, Random& random, Warn warn)
      : path_(std::move(path)), clock_(clock), random_(random), warn_(std::move(warn)) {}
  ~WastebinSource() override {
    sqlite3_finalize(rows_);
    sqlite3_close(db_);
  }

  Status Init() {
    struct stat st {};
    if (stat(path_.c_str(), &st) != 0) {
      return InvalidArgument("cannot read wastebin's database " + path_ + ": " + strerror(errno));
    }
    if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      return Error("cannot open");
    }
    sqlite3_busy_timeout(db_, 10000);  // wastebin may be writing
    std::set<std::string> have;
    sqlite3_stmt* columns = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT name FROM pragma_table_info('entries')", -1, &columns,
                           nullptr) != SQLITE_OK) {
      return Error("cannot read");
    }
    while (sqlite3_step(columns) == SQLITE_ROW) {
      have.insert(reinterpret_cast<const char*>(sqlite3_column_text(columns, 0)));
    }
    sqlite3_finalize(columns);
    for (const char* need : {"id", "data", "burn_after_reading", "expires", "nonce"}) {
      if (!have.count(need)) {
        return InvalidArgument(path_ +
                               " is not a wastebin database of version 2.4 or later (table "
                               "entries has no column " +
                               std::string(need) +
                               "); run a newer wastebin on it once so it migrates, then import");
      }
    }
    if (sqlite3_prepare_v2(
            db_, "SELECT id, data, burn_after_reading, expires, nonce FROM entries ORDER BY id", -1,
            &rows_, nullptr) != SQLITE_OK) {
      return Error("cannot read");
    }
    return Status::Ok();
  }

 protected:
  Result<std::optional<ExportPaste>> NextPaste() override {
    int64_t now = clock_.NowSeconds();
    for (;;) {
      int rc = sqlite3_step(rows_);
      if (rc == SQLITE_DONE) return std::optional<ExportPaste>();
      if (rc != SQLITE_ROW) return Error("cannot read");
      std::string link = WastebinLink(sqlite3_column_int64(rows_, 0));
      if (sqlite3_column_type(rows_, 4) != SQLITE_NULL) {
        warn_("wastebin paste " + link +
              " is encrypted with its creator's password, which pasted cannot ask for: left out");
        continue;
      }
      ExportPaste p;
      PasteRecord& r = p.record;
      r.shortlink = link;
      r.created_at = now;  // wastebin keeps no creation time
      r.delete_token_hash = UnheldTokenHash(random_);
      r.burn_after_reading = sqlite3_column_int64(rows_, 2) != 0;
      if (sqlite3_column_type(rows_, 3) != SQLITE_NULL) {
        std::string text = reinterpret_cast<const char*>(sqlite3_column_text(rows_, 3));
        auto expires = ParseSqliteTime(text);
        if (!expires) {
          warn_("wastebin paste " + link + " has an expiry pasted cannot read ('" + text +
                "'): left out");
          continue;
        }
        if (*expires <= now) continue;  // expired: wastebin serves it no more
        r.expires_at = *expires;
        r.expiration_length_in_minutes = (*expires - now + 59) / 60;
      }
      const char* data = static_cast<const char*>(sqlite3_column_blob(rows_, 1));
      std::string_view packed(data ? data : "",
                              static_cast<size_t>(sqlite3_column_bytes(rows_, 1)));
      auto body = Unzstd(packed, "wastebin paste " + link);
      if (!body.ok()) {
        warn_(body.status().message() + ": left out");
        continue;
      }
      if (body->empty() || !CheckText(*body, "paste").ok()) {
        warn_("wastebin paste " + link + " is empty or not text: left out");
        continue;
      }
      p.body = std::move(body).value();
      return std::optional<ExportPaste>(std::move(p));
    }
  }

 private:
  Status Error(const std::string& what) {
    return InvalidArgument(what + " wastebin's database " + path_ + ": " +
                           (db_ ? sqlite3_errmsg(db_) : "out of memory"));
  }

  std::string path_;
  const Clock& clock_;
  Random& random_;
  Warn warn_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* rows_ = nullptr;
};

}  // namespace

std::vector<std::string> HasteKeys(const std::string& text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    // Colours off: winston's console transport may colour its levels.
    std::string plain;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\x1b') {
        while (i < line.size() && line[i] != 'm') ++i;
        continue;
      }
      plain += line[i];
    }
    std::string key;
    size_t at;
    if ((at = plain.find("key=")) != std::string::npos) {
      at += 4;
    } else if ((at = plain.find("\"key\":")) != std::string::npos) {
      at += 6;
      while (at < plain.size() && (plain[at] == ' ' || plain[at] == '"')) ++at;
    } else {
      at = plain.find_first_not_of(" \t");
      if (at == std::string::npos) continue;
      size_t end = plain.find_last_not_of(" \t\r");
      // A bare key alone on its line.
      for (size_t i = at; i <= end; ++i) {
        if (!IsKeyChar(plain[i])) at = std::string::npos;
        if (at == std::string::npos) break;
      }
      if (at == std::string::npos) continue;
    }
    while (at < plain.size() && IsKeyChar(plain[at])) key += plain[at++];
    if (!key.empty() && seen.insert(key).second) out.push_back(key);
  }
  return out;
}

std::string WastebinLink(int64_t id) {
  static const char kTable[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+";
  std::string s;
  if (id >= 0 && id <= int64_t{0xffffffff}) {
    uint32_t n = static_cast<uint32_t>(id);
    for (int shift : {26, 20, 14, 8, 2}) s += kTable[(n >> shift) & 0x3f];
    s += kTable[n & 0x3];
    return s;
  }
  uint64_t n = static_cast<uint64_t>(id);
  for (int shift : {58, 52, 46, 40, 34, 28, 22, 16, 10, 4}) s += kTable[(n >> shift) & 0x3f];
  s += kTable[n & 0xf];
  return s;
}

Result<std::unique_ptr<PasteSource>> OpenHasteSource(const std::string& dir,
                                                     const std::string& keys, const Clock& clock,
                                                     Random& random, Warn warn) {
  if (keys.empty()) {
    return InvalidArgument(
        "haste names its files by an md5 of each key, which cannot be undone: give --keys FILE, "
        "haste's log (its 'added document' lines) or a list of keys");
  }
  auto text = ReadWhole(keys);
  if (!text.ok()) return text.status();
  auto source = std::make_unique<HasteSource>(dir, HasteKeys(*text), clock, random, warn);
  Status s = source->Init();
  if (!s.ok()) return s;
  return std::unique_ptr<PasteSource>(std::move(source));
}

Result<std::unique_ptr<PasteSource>> OpenWastebinSource(const std::string& path, const Clock& clock,
                                                        Random& random, Warn warn) {
  auto source = std::make_unique<WastebinSource>(path, clock, random, warn);
  Status s = source->Init();
  if (!s.ok()) return s;
  return std::unique_ptr<PasteSource>(std::move(source));
}

}  // namespace pastebin
