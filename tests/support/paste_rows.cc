// paste_rows: pastes for scripts/bench to read back, written as pasted
// stores them, without going through HTTP (minutes for a million, hours
// for ten). Each is 1 KB of random text (it compresses, as real pastes do),
// stored through pasted's own codec (EncodeBody: zstd when it saves a
// sixteenth) with its digest (ContentDigest, the ETag) and a delete token's
// hash of the length pasted keeps (64 hex digits), made at NOW.
//
//   paste_rows sqlite DB COUNT NOW
//     writes rows 1..COUNT into the pastes table of DB (a file pasted made,
//     so it has the schema and its link key), each under its number with
//     the keyed link pasted would give it (link_cipher.h); prints the links,
//     one a line, in row order.
//   paste_rows copy COUNT NOW
//     prints the same pastes as PostgreSQL COPY text for
//     pastes (shortlink, created_at, size, codec, stored_size,
//     delete_token_hash, content_hash, body), linked B and six hex digits.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "daemon/store/body_codec.h"
#include "daemon/store/link_cipher.h"
#include "daemon/store/sqlite/sqlite.h"

namespace pastebin {
namespace {

constexpr size_t kPasteBytes = 1024;

// 64 KiB of random text, and each paste a slice of it at a random place.
class Bodies {
 public:
  Bodies() : rnd_(11) {
    static const char kChars[] = "abcdefghij klmnop\n";
    std::uniform_int_distribution<size_t> pick(0, sizeof(kChars) - 2);
    for (size_t i = 0; i < (1 << 16); ++i) pool_ += kChars[pick(rnd_)];
  }
  std::string_view Next() {
    std::uniform_int_distribution<size_t> at(0, pool_.size() - kPasteBytes);
    return std::string_view(pool_).substr(at(rnd_), kPasteBytes);
  }

 private:
  std::mt19937_64 rnd_;
  std::string pool_;
};

std::string HexOf(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

// 64 hex digits, as pasted keeps a delete token's SHA-256: the digest's
// hex twice (what matters here is the row's size).
std::string TokenHash(const std::string& digest) { return HexOf(digest) + HexOf(digest); }

int Fail(const std::string& what) {
  std::fprintf(stderr, "paste_rows: %s\n", what.c_str());
  return 1;
}

class Output {
 public:
  void Add(std::string_view s) {
    out_ += s;
    if (out_.size() > (1 << 20)) Flush();
  }
  bool Flush() {
    bool ok = std::fwrite(out_.data(), 1, out_.size(), stdout) == out_.size();
    out_.clear();
    return ok && std::fflush(stdout) == 0;
  }

 private:
  std::string out_;
};

int Sqlite(const std::string& path, long long count, long long now) {
  auto db = SqliteDb::Open(path, /*create=*/false);
  if (!db.ok()) return Fail(db.status().message());
  auto key = (*db)->Prepare("SELECT key FROM link_key");
  if (!key.ok()) return Fail(key.status().message());
  auto step = (*key)->Next();
  if (!step.ok() || *step != SqliteStmt::Step::kRow) return Fail(path + " has no link key");
  auto cipher = LinkCipher::Make((*key)->Blob(0));
  if (!cipher.ok()) return Fail(cipher.status().message());
  (*key)->Reset();
  Status s = (*db)->Exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
  if (!s.ok()) return Fail(s.message());
  auto insert = (*db)->Prepare(
      "INSERT INTO pastes (id, shortlink, keyed, expiration_length_in_minutes, created_at,"
      " paste_path, size, delete_token_hash, body, codec, stored_size, content_hash)"
      " VALUES (?1, ?2, 1, 0, ?3, '', ?4, ?9, ?5, ?6, ?7, ?8)");
  if (!insert.ok()) return Fail(insert.status().message());
  Bodies bodies;
  Output out;
  for (long long start = 1; start <= count; start += 50000) {
    s = (*db)->Exec("BEGIN");
    if (!s.ok()) return Fail(s.message());
    for (long long n = start; n < start + 50000 && n <= count; ++n) {
      const std::string link = cipher->LinkOf(static_cast<uint64_t>(n), 7);
      const std::string_view body = bodies.Next();
      EncodedBody stored = EncodeBody(body);
      SqliteStmt& st = **insert;
      st.BindInt(1, n);
      st.BindText(2, link);
      st.BindInt(3, now);
      st.BindInt(4, static_cast<int64_t>(body.size()));
      st.BindBlob(5, stored.bytes);
      st.BindInt(6, static_cast<int64_t>(stored.codec));
      st.BindInt(7, static_cast<int64_t>(stored.bytes.size()));
      const std::string digest = ContentDigest(body);
      st.BindBlob(8, digest);
      st.BindText(9, TokenHash(digest));
      s = st.Run();
      if (!s.ok()) return Fail(s.message());
      out.Add(link);
      out.Add("\n");
    }
    s = (*db)->Exec("COMMIT");
    if (!s.ok()) return Fail(s.message());
  }
  s = (*db)->Exec("PRAGMA wal_checkpoint(TRUNCATE);");
  if (!s.ok()) return Fail(s.message());
  return out.Flush() ? 0 : Fail("cannot write the links");
}

// A bytea in COPY text: \\x and its hex.
void Hex(std::string_view bytes, Output& out) { out.Add("\\\\x" + HexOf(bytes)); }

int Copy(long long count, long long now) {
  Bodies bodies;
  Output out;
  char link[24];
  for (long long n = 1; n <= count; ++n) {
    std::snprintf(link, sizeof(link), "B%06llx", n);
    const std::string_view body = bodies.Next();
    EncodedBody stored = EncodeBody(body);
    const std::string digest = ContentDigest(body);
    out.Add(std::string(link) + "\t" + std::to_string(now) + "\t" + std::to_string(body.size()) +
            "\t" + std::to_string(static_cast<int>(stored.codec)) + "\t" +
            std::to_string(stored.bytes.size()) + "\t" + TokenHash(digest) + "\t");
    Hex(digest, out);
    out.Add("\t");
    Hex(stored.bytes, out);
    out.Add("\n");
  }
  return out.Flush() ? 0 : Fail("cannot write the rows");
}

}  // namespace
}  // namespace pastebin

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "sqlite" && argc == 5) {
    return pastebin::Sqlite(argv[2], std::atoll(argv[3]), std::atoll(argv[4]));
  }
  if (mode == "copy" && argc == 4) {
    return pastebin::Copy(std::atoll(argv[2]), std::atoll(argv[3]));
  }
  std::fprintf(stderr, "usage: paste_rows sqlite DB COUNT NOW | paste_rows copy COUNT NOW\n");
  return 2;
}
