// Which store an end-to-end test's daemon uses. Normally SQLite in its data
// dir. In the e2e-pg run, PASTEBIN_TEST_POSTGRES_DIR names the PostgreSQL
// server tests/support/postgres-fixture started for the whole run, and each
// daemon gets a database of its own there (made here, dropped after), so
// the same tests check both stores.
#ifndef PASTEBIN_TESTS_SUPPORT_STORE_UNDER_TEST_H_
#define PASTEBIN_TESTS_SUPPORT_STORE_UNDER_TEST_H_

#include <string>
#include <vector>

namespace pastebin::testing {

class StoreUnderTest {
 public:
  StoreUnderTest();   // makes the database, in the e2e-pg run
  ~StoreUnderTest();  // drops it
  StoreUnderTest(const StoreUnderTest&) = delete;
  StoreUnderTest& operator=(const StoreUnderTest&) = delete;

  // True in the e2e-pg run.
  static bool Postgres();
  // pasted's flags with the ones choosing this store added.
  std::vector<std::string> With(std::vector<std::string> flags) const;

  // In the e2e-pg run: what one query on this database answers (psql's
  // unaligned text, without the last newline).
  std::string Query(const std::string& sql) const;

 private:
  std::string url_;  // empty: SQLite
  std::string database_;
};

}  // namespace pastebin::testing

#endif  // PASTEBIN_TESTS_SUPPORT_STORE_UNDER_TEST_H_
