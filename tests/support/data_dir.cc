#include "tests/support/data_dir.h"

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

#include "tests/support/temp_dir.h"

namespace pastebin::testing {
namespace {

// Runs sql on the database read-only, calling row for each result row.
template <typename Fn>
void Query(const std::string& data_dir, const char* sql, Fn row) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((data_dir + "/pastes.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + data_dir + "/pastes.db");
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error(std::string("cannot run ") + sql);
  }
  while (sqlite3_step(st) == SQLITE_ROW) row(st);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

std::string Column(sqlite3_stmt* st, int i) {
  const unsigned char* text = sqlite3_column_text(st, i);
  return text ? reinterpret_cast<const char*>(text) : "";
}

}  // namespace

std::vector<PasteRow> PasteRows(const std::string& data_dir) {
  std::vector<PasteRow> rows;
  Query(data_dir, "SELECT shortlink, paste_path, body IS NOT NULL FROM pastes",
        [&](sqlite3_stmt* st) {
          rows.push_back({Column(st, 0), Column(st, 1), sqlite3_column_int(st, 2) != 0});
        });
  return rows;
}

std::vector<std::string> BodyFiles(const std::string& data_dir) {
  std::vector<std::string> out;
  for (const std::string& f : ListFiles(data_dir + "/content")) {
    if (f.compare(0, 4, "tmp/") != 0) out.push_back(f);
  }
  return out;
}

size_t StoredBodies(const std::string& data_dir) {
  size_t rows = 0;
  Query(data_dir, "SELECT count(body) FROM pastes",
        [&](sqlite3_stmt* st) { rows = static_cast<size_t>(sqlite3_column_int64(st, 0)); });
  return rows + BodyFiles(data_dir).size();
}

int64_t BodyBytes(const std::string& data_dir) {
  int64_t bytes = 0;
  Query(data_dir, "SELECT coalesce(sum(length(body)), 0) FROM pastes",
        [&](sqlite3_stmt* st) { bytes = sqlite3_column_int64(st, 0); });
  for (const std::string& f : BodyFiles(data_dir)) {
    bytes += static_cast<int64_t>(std::filesystem::file_size(data_dir + "/content/" + f));
  }
  return bytes;
}

}  // namespace pastebin::testing
