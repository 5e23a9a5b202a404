// pasted export and pasted import: a store's every paste (links, delete
// tokens, expiries, burn flags, languages, short links, bodies inline and
// as files) and visit count, moved from SQLite to PostgreSQL and back while
// pasted serves, exactly; an import cut short finished by running it again;
// and haste-server's and wastebin's stores brought in with every link kept.
#include <openssl/evp.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "daemon/store/link_cipher.h"
#include "tests/e2e/fixture.h"
#include "tests/support/postgres.h"

namespace pastebin::testing {
namespace {

RunResult Pasted(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), BinaryPath("pasted"));
  return Run(args, input);
}

struct Made {
  std::string link, token, body;  // body: a short link's target for links
};

Made Post(httplib::Client& http, const std::string& path, const nlohmann::json& request) {
  auto r = http.Post(path.c_str(), request.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  auto j = nlohmann::json::parse(r->body);
  return {j["shortlink"], j["delete_token"], ""};
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

std::vector<std::string> PgStore(const PostgresServer& pg) {
  return {"--store", "postgres", "--postgres-url", pg.url()};
}

TEST_CASE(
    "pasted export from SQLite while it serves, import into PostgreSQL and export again gives "
    "the same stream, and back") {
  E2e a({"--inline-max-bytes", "1K"});  // bodies over 1K are files: both kinds
  httplib::Client http = a.Http();
  std::vector<Made> made;
  for (int i = 0; i < 40; ++i) {
    std::string body = i % 4 == 0 ? Noise(3000 + i, i) : "paste " + std::to_string(i) + " ü\n";
    nlohmann::json req = {{"paste_contents", body}};
    if (i % 5 == 1) req["expiration_length_in_minutes"] = 60 * 24;
    if (i % 7 == 2) req["language"] = "py";
    Made m = Post(http, "/api/v1/paste", req);
    m.body = body;
    made.push_back(m);
  }
  Made burn = Post(http, "/api/v1/paste",
                   {{"paste_contents", "read me once\n"}, {"burn_after_reading", true}});
  Made link = Post(http, "/api/v1/link", {{"url", "https://example.com/a?b=c"}});
  for (size_t i = 0; i < made.size(); i += 3) {
    REQUIRE(http.Get("/raw/" + made[i].link)->status == 200);
  }
  REQUIRE(a.Cli({"stats"}).exit_code == 0);  // visits rolled up into the store
  auto stats = nlohmann::json::parse(a.Cli({"stats", "--json", "--month", ThisMonth()}).out);
  REQUIRE(stats["total_visits"] == 14);

  // Exported while writes go on: what was there before is all in it.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    httplib::Client w = a.Http();
    for (int i = 0; !stop; ++i) {
      w.Post("/api/v1/paste", nlohmann::json{{"paste_contents", Noise(1500, 500 + i)}}.dump(),
             "application/json");
    }
  });
  std::string first = a.dir / "first.jsonl";
  RunResult exported = Pasted({"export", first, "--data-dir", a.dir / "data"});
  stop = true;
  writer.join();
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK_THAT(exported.out, Catch::StartsWith("exported "));
  std::string stream = ReadFile(first);
  for (const Made& m : made) CHECK(stream.find("\"link\":\"" + m.link + "\"") != std::string::npos);
  CHECK(stream.find("\"url\":\"https://example.com/a?b=c\"") != std::string::npos);
  CHECK(stream.find("\"burn\":true") != std::string::npos);
  CHECK(stream.find("\"language\":\"py\"") != std::string::npos);
  // An existing file is never overwritten.
  RunResult over = Pasted({"export", first, "--data-dir", a.dir / "data"});
  CHECK(over.exit_code == 1);
  CHECK_THAT(over.err, Catch::Contains("export writes a new file"));

  // Into PostgreSQL, twice: the second run finds everything there.
  PostgresServer pg;
  std::vector<std::string> into_pg = PgStore(pg);
  into_pg.insert(into_pg.begin(), {"import", first});
  RunResult imported = Pasted(into_pg);
  INFO(imported.out << imported.err);
  REQUIRE(imported.exit_code == 0);
  size_t pastes = 0;
  for (size_t at = 0; (at = stream.find("{\"type\":\"paste\"", at)) != std::string::npos; ++at) {
    ++pastes;
  }
  REQUIRE(pastes >= made.size() + 2);
  CHECK_THAT(imported.out, Catch::StartsWith("imported " + std::to_string(pastes) +
                                             " pastes into PostgreSQL; 0 already there"));
  RunResult again = Pasted(into_pg);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::StartsWith("imported 0 pastes into PostgreSQL; " +
                                          std::to_string(pastes) + " already there"));
  std::vector<std::string> from_pg = PgStore(pg);
  from_pg.insert(from_pg.begin(), {"export", a.dir / "second.jsonl"});
  REQUIRE(Pasted(from_pg).exit_code == 0);
  CHECK(ReadFile(a.dir / "second.jsonl") == stream);

  // A node on PostgreSQL serves them: bytes, tokens, burn, link, visits.
  a.daemon.Stop();
  E2e b(PgStore(pg));
  httplib::Client node = b.Http();
  auto month = nlohmann::json::parse(b.Cli({"stats", "--json", "--month", ThisMonth()}).out);
  CHECK(month["total_visits"] == stats["total_visits"]);
  CHECK(month["pastes_visited"] == stats["pastes_visited"]);
  for (const Made& m : made) {
    auto got = node.Get("/raw/" + m.link);
    REQUIRE(got);
    CHECK(got->status == 200);
    CHECK(got->body == m.body);
  }
  auto once = node.Get("/raw/" + burn.link + "?burn=yes");
  CHECK(once->body == "read me once\n");
  CHECK(node.Get("/raw/" + burn.link + "?burn=yes")->status == 404);
  auto redirect = node.Get("/" + link.link);
  CHECK(redirect->status == 302);
  CHECK(redirect->get_header_value("Location") == "https://example.com/a?b=c");
  auto deleted = node.Delete("/api/v1/paste?shortlink=" + made[0].link,
                             httplib::Headers{{"X-Delete-Token", made[0].token}});
  CHECK(deleted->status == 204);
  CHECK(node.Get("/raw/" + made[0].link)->status == 404);

  // And back from PostgreSQL into a new SQLite data dir: the same stream
  // (less the paste deleted, the burnt one and visits since).
  std::string back = a.dir / "back";
  std::vector<std::string> again_pg = PgStore(pg);
  again_pg.insert(again_pg.begin(), {"export", a.dir / "third.jsonl"});
  REQUIRE(Pasted(again_pg).exit_code == 0);
  RunResult into_sqlite =
      Pasted({"import", a.dir / "third.jsonl", "--data-dir", back, "--inline-max-bytes", "1K"});
  INFO(into_sqlite.err);
  REQUIRE(into_sqlite.exit_code == 0);
  REQUIRE(Pasted({"export", a.dir / "fourth.jsonl", "--data-dir", back}).exit_code == 0);
  CHECK(ReadFile(a.dir / "fourth.jsonl") == ReadFile(a.dir / "third.jsonl"));
  CHECK(StoredBodies(back) > 0);  // large bodies are files there again
}

TEST_CASE("pasted import cut short is finished by running it again, and a taken link is told") {
  E2e a;
  std::vector<Made> made;
  httplib::Client http = a.Http();
  for (int i = 0; i < 700; ++i) {
    Made m = Post(http, "/api/v1/paste", {{"paste_contents", "n " + std::to_string(i) + "\n"}});
    m.body = "n " + std::to_string(i) + "\n";
    made.push_back(m);
  }
  RunResult exported = Pasted({"export", "--data-dir", a.dir / "data"});
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  const std::string& stream = exported.out;
  // Cut in the middle of line 601 (past two batches): 599 pastes whole.
  size_t cut = 0;
  for (int line = 0; line < 600; ++line) cut = stream.find('\n', cut) + 1;
  cut += 20;
  std::string dir = a.dir / "b";
  RunResult partial = Pasted({"import", "--data-dir", dir}, stream.substr(0, cut));
  CHECK(partial.exit_code == 1);
  CHECK_THAT(partial.err, Catch::Contains("line 601 of stdin is cut short: the input ends in the "
                                          "middle of it. What came before is in; run the import "
                                          "again with the whole input"));
  CHECK_THAT(partial.out, Catch::StartsWith("imported 599 pastes"));
  RunResult whole = Pasted({"import", "--data-dir", dir}, stream);
  INFO(whole.err);
  CHECK(whole.exit_code == 0);
  CHECK_THAT(whole.out, Catch::StartsWith("imported 101 pastes into data dir " + dir +
                                          "; 599 already there; 0 taken by others"));
  CHECK(Pasted({"export", "--data-dir", dir}).out == stream);

  // A stream whose end line disagrees, and one that is not an export.
  std::string damaged = stream;  // its first paste line taken out
  size_t second = stream.find('\n') + 1;
  damaged.erase(second, stream.find('\n', second) + 1 - second);
  RunResult short_count = Pasted({"import", "--data-dir", a.dir / "c"}, damaged);
  CHECK(short_count.exit_code == 1);
  CHECK_THAT(short_count.err, Catch::Contains("the end line counts 700 pastes"));
  RunResult junk = Pasted({"import", "--data-dir", a.dir / "d"}, "hello\n");
  CHECK(junk.exit_code == 1);
  CHECK_THAT(junk.err, Catch::Contains("line 1 of stdin: not a JSON object"));

  // A link held here by another paste is left out, told, and exit is 1.
  std::string line = stream.substr(stream.find('\n') + 1);
  line = line.substr(0, line.find('\n') + 1);
  nlohmann::json other = nlohmann::json::parse(line);
  other["body"] = "not the same\n";
  std::string clash = "{\"type\":\"pastebin-export\",\"version\":1}\n" + other.dump() +
                      "\n{\"type\":\"end\",\"pastes\":1,\"bytes\":13,\"visit_counts\":0}\n";
  RunResult taken = Pasted({"import", "--data-dir", dir}, clash);
  CHECK(taken.exit_code == 1);
  CHECK_THAT(taken.err, Catch::Contains("link " + other["link"].get<std::string>() +
                                        " is taken here by another paste: left out"));
  CHECK_THAT(taken.out, Catch::Contains("1 taken by others"));
  // A newer format is refused, saying what to do.
  RunResult newer = Pasted({"import", "--data-dir", a.dir / "e"},
                           "{\"type\":\"pastebin-export\",\"version\":2}\n");
  CHECK_THAT(newer.err, Catch::Contains("format version 2 is not one this pasted reads"));
}

// The link key pasted made in a SQLite data dir (link_key in pastes.db).
LinkCipher DataDirCipher(const std::string& db_path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT key FROM link_key", -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  std::string key(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                  static_cast<size_t>(sqlite3_column_bytes(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(db);
  auto cipher = LinkCipher::Make(key);
  REQUIRE(cipher.ok());
  return std::move(cipher).value();
}

TEST_CASE("pastes imported beside a serving pasted under the links it would make next are kept") {
  E2e a;
  RunResult first = a.Cli({"put"}, "first\n");
  REQUIRE(first.exit_code == 0);
  const std::string first_link = E2e::LinkOf(first.out);
  const LinkCipher cipher = DataDirCipher(a.dir / "data/pastes.db");
  auto n = cipher.NumberOf(first_link);
  REQUIRE(n.has_value());  // the link is its row's number, encrypted

  // Two pastes from another pastebin: one under the link pasted makes of
  // the next number, both in the next rows.
  const std::string next = cipher.LinkOf(*n + 1, 7);
  auto line = [](const std::string& link, const std::string& body) {
    nlohmann::json j = {{"type", "paste"},
                        {"link", link},
                        {"created_at", 1700000000},
                        {"expiration_minutes", 0},
                        {"expires_at", nullptr},
                        {"delete_token_sha256", std::string(64, 'a')},
                        {"burn", false},
                        {"language", ""},
                        {"body", body}};
    return j.dump() + "\n";
  };
  std::string stream = "{\"type\":\"pastebin-export\",\"version\":1}\n" +
                       line(next, "brought in\n") + line("Brought2", "also\n") +
                       "{\"type\":\"end\",\"pastes\":2,\"bytes\":16,\"visit_counts\":0}\n";
  RunResult imported = Pasted({"import", "--data-dir", a.dir / "data"}, stream);
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK_THAT(imported.out, Catch::StartsWith("imported 2 pastes"));

  // pasted's next paste finds its link taken, then its row: it takes the
  // number after the rows the import added.
  RunResult put = a.Cli({"put"}, "second\n");
  INFO(put.err);
  REQUIRE(put.exit_code == 0);
  const std::string second = E2e::LinkOf(put.out);
  CHECK(second == cipher.LinkOf(*n + 3, 7));
  CHECK(a.Cli({"get", next}).out == "brought in\n");
  CHECK(a.Cli({"get", "Brought2"}).out == "also\n");
  CHECK(a.Cli({"get", second}).out == "second\n");
  CHECK(a.Cli({"get", first_link}).out == "first\n");
}

TEST_CASE("a paste imported beside a serving pasted is found at once, by every event loop") {
  // The cache off: every read asks the database, and each event loop keeps
  // its read open for the rest of its round of events.
  E2e a({"--cache-bytes", "0"});
  RunResult put = a.Cli({"put"}, "here before\n");
  REQUIRE(put.exit_code == 0);
  const std::string before = E2e::LinkOf(put.out);
  // Connections land on either loop: after 16 of them both have read.
  for (int i = 0; i < 16; ++i) REQUIRE(a.Cli({"get", before}).out == "here before\n");

  std::string stream =
      "{\"type\":\"pastebin-export\",\"version\":1}\n"
      "{\"type\":\"paste\",\"link\":\"Br0ught\",\"created_at\":1700000000,"
      "\"expiration_minutes\":0,\"expires_at\":null,\"delete_token_sha256\":\"" +
      std::string(64, 'a') +
      "\",\"burn\":false,\"language\":\"\",\"body\":\"brought in\\n\"}\n"
      "{\"type\":\"end\",\"pastes\":1,\"bytes\":11,\"visit_counts\":0}\n";
  RunResult imported = Pasted({"import", "--data-dir", a.dir / "data"}, stream);
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  // No commit of pasted's own came between: each loop began a new read
  // when its round ended, not at pasted's next write.
  for (int i = 0; i < 16; ++i) {
    RunResult got = a.Cli({"get", "Br0ught"});
    INFO(got.err);
    CHECK(got.out == "brought in\n");
  }
}

std::string Md5Hex(const std::string& s) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_Digest(s.data(), s.size(), d, &n, EVP_md5(), nullptr);
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += "0123456789abcdef"[d[i] >> 4];
    out += "0123456789abcdef"[d[i] & 15];
  }
  return out;
}

TEST_CASE("a haste-server file store imports with every link working") {
  // haste's file store (lib/document_stores/file.js): a file per document,
  // named md5(key), holding its text. Its log names the keys.
  TempDir dir;
  std::string store = dir / "data";
  REQUIRE(mkdir(store.c_str(), 0700) == 0);
  std::map<std::string, std::string> docs = {
      {"ubiqoxavel", "print('hello from haste')\n"},
      {"kofumesaqo", "line one\nline two ü\n"},
      {"AbCdEfGh12", Noise(50000, 3)},
  };
  std::string log;
  for (const auto& [key, text] : docs) {
    WriteFile(store + "/" + Md5Hex(key), text);
    // winston 2's console lines, coloured as haste's default config has it.
    log += "\x1b[36mverbose\x1b[39m: added document key=" + key + "\n";
    log += "\x1b[36mverbose\x1b[39m: retrieved document key=" + key + "\n";
  }
  // haste puts its about page in the store too: "about" is no link here.
  WriteFile(store + "/" + Md5Hex("about"), "# Haste\n");
  log += "verbose: added document key=about\n";
  WriteFile(store + "/" + Md5Hex("nobodyknows"), "a document whose key was never logged\n");
  WriteFile(dir / "haste.log", log);

  E2e a;
  RunResult imported = Pasted({"import", "--from", "haste", store, "--keys", dir / "haste.log",
                               "--data-dir", a.dir / "data"});
  INFO(imported.err);
  CHECK(imported.exit_code == 1);  // some were left out, and said so
  CHECK_THAT(imported.out, Catch::StartsWith("imported 3 pastes"));
  CHECK_THAT(imported.err, Catch::Contains("haste key 'about' cannot be a link here"));
  CHECK_THAT(imported.err, Catch::Contains("1 of the 5 documents in " + store +
                                           " have no key in the keys given"));
  httplib::Client http = a.Http();
  for (const auto& [key, text] : docs) {
    INFO(key);
    // haste's own links: /KEY, /KEY.ext, /raw/KEY, /documents/KEY.
    CHECK(http.Get("/raw/" + key)->body == text);
    CHECK(http.Get("/" + key + ".py")->body == text);
    CHECK(a.Cli({"get", a.daemon.url() + "/" + key}).out == text);
    auto doc = http.Get("/documents/" + key);
    REQUIRE(doc->status == 200);
    CHECK(nlohmann::json::parse(doc->body)["data"] == text);
  }
  // Run again: nothing new, nothing doubled.
  RunResult again = Pasted({"import", "--from", "haste", store, "--keys", dir / "haste.log",
                            "--data-dir", a.dir / "data"});
  CHECK_THAT(again.out, Catch::StartsWith("imported 0 pastes into data dir"));
  // Without keys, it says where they come from.
  RunResult no_keys = Pasted({"import", "--from", "haste", store, "--data-dir", a.dir / "data"});
  CHECK(no_keys.exit_code == 1);
  CHECK_THAT(no_keys.err, Catch::Contains("give --keys FILE, haste's log"));
}

// wastebin's link for an id (crates/wastebin_core/src/id.rs), written here
// from its description, apart from the importer's.
std::string WastebinId(int64_t id, bool old) {
  const char* t = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+";
  std::string s;
  uint64_t n = static_cast<uint64_t>(id);
  if (old) {
    for (int i = 26; i >= 2; i -= 6) s += t[(n >> i) & 63];
    return s + t[n & 3];
  }
  for (int i = 58; i >= 4; i -= 6) s += t[(n >> i) & 63];
  return s + t[n & 15];
}

TEST_CASE("a wastebin database imports with every link working") {
  // wastebin's schema, its migrations 0001-0007 as they are
  // (crates/wastebin_core/src/migrations/), and rows as it writes them.
  TempDir dir;
  std::string db_path = dir / "state.db";
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  const char* schema = R"sql(
CREATE TABLE entries(id INTEGER PRIMARY KEY, text TEXT NOT NULL, burn_after_reading INTEGER, expires TEXT);
ALTER TABLE entries ADD COLUMN created_at TEXT;
ALTER TABLE entries DROP COLUMN created_at;
ALTER TABLE entries ADD COLUMN uid INTEGER;
CREATE TABLE IF NOT EXISTS uids (id INTEGER PRIMARY KEY CHECK (id = 0), n INTEGER);
INSERT OR IGNORE INTO uids (id, n) VALUES (0, 0);
ALTER TABLE entries ADD COLUMN data BLOB;
ALTER TABLE entries DROP COLUMN text;
ALTER TABLE entries ADD COLUMN nonce BLOB;
ALTER TABLE entries ADD COLUMN title TEXT;
PRAGMA user_version = 7;
)sql";
  REQUIRE(sqlite3_exec(db, schema, nullptr, nullptr, nullptr) == SQLITE_OK);
  struct Entry {
    int64_t id;
    std::string text;
    bool burn;
    std::string expires;  // datetime('now', '+N seconds') or ""
    bool encrypted;
  };
  const std::vector<Entry> entries = {
      {123456789, "an old six-character id\n", false, "", false},
      {-1234567, "fn main() {}\n", false, "", false},  // "+++++++Tkxj"
      {7205759403792793599, "burn me\n", true, "", false},
      {1234567890123, "expires in an hour\n", false, "+3600 seconds", false},
      {99, "expired\n", false, "-60 seconds", false},
      {4242424242424242, "ciphertext", false, "", true},
  };
  for (const Entry& e : entries) {
    std::string packed(ZSTD_compressBound(e.text.size()), '\0');
    packed.resize(ZSTD_compress(packed.data(), packed.size(), e.text.data(), e.text.size(), 3));
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db,
                               "INSERT INTO entries (id, uid, data, burn_after_reading, nonce, "
                               "expires, title) VALUES (?1, 1, ?2, ?3, ?4, "
                               "CASE WHEN ?5 = '' THEN NULL ELSE datetime('now', ?5) END, 't')",
                               -1, &st, nullptr) == SQLITE_OK);
    sqlite3_bind_int64(st, 1, e.id);
    sqlite3_bind_blob(st, 2, packed.data(), static_cast<int>(packed.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, e.burn);
    if (e.encrypted) sqlite3_bind_blob(st, 4, "123456789012345678901234", 24, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e.expires.c_str(), -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);

  E2e a;
  RunResult imported =
      Pasted({"import", "--from", "wastebin", db_path, "--data-dir", a.dir / "data"});
  INFO(imported.err);
  CHECK(imported.exit_code == 1);  // the encrypted one is left out, and said so
  CHECK_THAT(imported.out, Catch::StartsWith("imported 4 pastes"));
  CHECK_THAT(imported.err, Catch::Contains("wastebin paste " + WastebinId(4242424242424242, false) +
                                           " is encrypted with its creator's password"));
  httplib::Client http = a.Http();
  CHECK(WastebinId(123456789, true).size() == 6);
  for (size_t i = 0; i < 2; ++i) {
    std::string link = WastebinId(entries[i].id, i == 0);
    INFO(link);
    // wastebin's own links: /ID, /ID.ext, /raw/ID, /dl/ID.ext.
    CHECK(http.Get("/raw/" + link)->body == entries[i].text);
    CHECK(http.Get("/" + link + ".rs")->body == entries[i].text);
    CHECK(http.Get("/dl/" + link + ".rs")->body == entries[i].text);
    CHECK(a.Cli({"get", a.daemon.url() + "/" + link}).out == entries[i].text);
  }
  std::string burn = WastebinId(entries[2].id, false);
  CHECK(http.Get("/raw/" + burn + "?burn=yes")->body == "burn me\n");
  CHECK(http.Get("/raw/" + burn + "?burn=yes")->status == 404);
  std::string expiring = WastebinId(entries[3].id, false);
  auto info = nlohmann::json::parse(http.Get("/api/v1/paste?shortlink=" + expiring)->body);
  CHECK(info["paste_contents"] == "expires in an hour\n");
  CHECK(info["expiration_length_in_minutes"] == 60);
  CHECK(http.Get("/raw/" + WastebinId(99, true))->status == 404);  // expired: not brought
  // Not a wastebin database: says what it needs.
  RunResult wrong = Pasted(
      {"import", "--from", "wastebin", a.dir / "data/pastes.db", "--data-dir", a.dir / "other"});
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.err, Catch::Contains("is not a wastebin database"));
}

}  // namespace
}  // namespace pastebin::testing
