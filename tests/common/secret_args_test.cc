#include "common/secret_args.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

namespace pastebin {
namespace {

// argv as main gets it: writable strings.
struct Argv {
  explicit Argv(std::vector<std::string> words) : words(std::move(words)) {
    for (std::string& w : this->words) pointers.push_back(w.data());
  }
  std::vector<std::string> words;
  std::vector<char*> pointers;
  int argc() const { return static_cast<int>(pointers.size()); }
};

TEST_CASE("secret flag values are overwritten in argv and kept for the parser") {
  Argv a({"pastebin", "delete", "Ab3dE9x", "--token", "s3cret", "--token=s3cret2", "-ts3cret3",
          "-t", "s3cret4", "--json", "--", "--token", "kept"});
  auto args = TakeArgsHidingSecrets(a.argc(), a.pointers.data(), {{"--token", "-t", nullptr}});
  CHECK(args == std::vector<std::string>{"pastebin", "delete", "Ab3dE9x", "--token", "s3cret",
                                         "--token=s3cret2", "-ts3cret3", "-t", "s3cret4", "--json",
                                         "--", "--token", "kept"});
  std::vector<std::string> now(a.pointers.begin(), a.pointers.end());
  CHECK(now == std::vector<std::string>{"pastebin", "delete", "Ab3dE9x", "--token", "******",
                                        "--token=*******", "-t*******", "-t", "*******", "--json",
                                        "--", "--token", "kept"});
}

TEST_CASE("a flag's value is hidden only when it is secret") {
  Argv a({"pasted", "--postgres-url", "postgresql://u:pw@db/pasted", "--postgres-read-url",
          "host=replica dbname=pasted", "--timeout", "5"});
  TakeArgsHidingSecrets(a.argc(), a.pointers.data(),
                        {{"--postgres-url", "", ConninfoHasPassword},
                         {"--postgres-read-url", "", ConninfoHasPassword}});
  CHECK(std::string(a.pointers[2]) == std::string(27, '*'));
  CHECK(std::string(a.pointers[4]) == "host=replica dbname=pasted");
  CHECK(std::string(a.pointers[6]) == "5");
}

TEST_CASE("a connection string's password is found in either form") {
  CHECK(ConninfoHasPassword("postgresql://pasted:pw@db:5432/pasted"));
  CHECK(ConninfoHasPassword("postgres://pasted:pw@db/pasted"));
  CHECK(ConninfoHasPassword("postgresql://db/pasted?password=pw"));
  CHECK(ConninfoHasPassword("host=db password=pw dbname=pasted"));
  CHECK(ConninfoHasPassword("password = pw"));
  CHECK_FALSE(ConninfoHasPassword("postgresql://pasted@db/pasted"));
  CHECK_FALSE(ConninfoHasPassword("postgresql://db/pasted?sslmode=require"));
  CHECK_FALSE(ConninfoHasPassword("host=db dbname=pasted passfile=/etc/pasted/pgpass"));
  CHECK_FALSE(ConninfoHasPassword("host=db user=password_owner"));
  CHECK_FALSE(ConninfoHasPassword(""));
}

}  // namespace
}  // namespace pastebin
