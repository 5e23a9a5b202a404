// A full disk: the data dir on a small tmpfs (mounted by the test, so root
// only). Writes get 507, reads go on, nothing half-written stays, and
// writes work again once there is room.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "tests/e2e/fixture.h"
#include "tests/support/data_dir.h"

namespace pastebin::testing {
namespace {

using nlohmann::json;

// Mounts a tmpfs of `size` at dir for the lifetime of the object.
class Tmpfs {
 public:
  Tmpfs(const std::string& dir, const std::string& size) : dir_(dir) {
    mkdir(dir.c_str(), 0700);
    mounted_ =
        mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size + ",mode=0700").c_str()) == 0;
  }
  ~Tmpfs() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool Resize(const std::string& size) {
    return mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT,
                 ("size=" + size + ",mode=0700").c_str()) == 0;
  }

 private:
  std::string dir_;
  bool mounted_ = false;
};

// Text that compresses about as much as real text does: a full disk must
// fill up.
std::string RandomText(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>('a' + rng() % 26));
  return out;
}

TEST_CASE("a full disk answers 507, keeps serving reads and recovers") {
  if (geteuid() != 0) SkipTest("needs root to mount a tmpfs");
  // Bodies in the database and bodies as files fill a disk differently.
  for (const char* inline_max : {"64K", "0"}) {
    INFO("inline_max_bytes " << inline_max);
    TempDir dir;
    Tmpfs disk(dir / "data", "2m");
    if (!disk.mounted()) SkipTest("cannot mount a tmpfs here");
    Daemon d(dir / "data", {"--inline-max-bytes", inline_max});
    d.Start();
    httplib::Client c(d.url());
    std::vector<std::string> stored;
    httplib::Result last(nullptr, httplib::Error::Unknown);
    for (int i = 0; i < 100; ++i) {
      last =
          c.Post("/api/v1/paste",
                 json{{"paste_contents", RandomText(100 * 1024, static_cast<unsigned>(i))}}.dump(),
                 "application/json");
      REQUIRE(last);
      if (last->status != 201) break;
      stored.push_back(json::parse(last->body)["shortlink"]);
    }
    REQUIRE(last->status == 507);
    // A load balancer stops sending writes here; liveness is unaffected.
    REQUIRE(WaitUntil([&] { return c.Get("/readyz")->status == 503; }));
    CHECK_THAT(json::parse(c.Get("/readyz")->body)["error"]["message"].get<std::string>(),
               Catch::StartsWith("not ready: the disk is nearly full ("));
    CHECK(c.Get("/healthz")->status == 200);
    json err = json::parse(last->body);
    CHECK(err["error"]["code"] == "insufficient_storage");
    CHECK_THAT(err["error"]["message"].get<std::string>(),
               Catch::Contains("the server's disk is full"));
    REQUIRE_FALSE(stored.empty());

    // Reads go on.
    for (const std::string& link : stored) {
      auto r = c.Get("/" + link);
      REQUIRE(r);
      CHECK(r->status == 200);
    }
    // Nothing half-written: a body per row, and at most the one body of
    // the refused paste when the disk filled at its row's commit rather
    // than at its body (PasteService::Create keeps a body whose commit
    // failed, for a row SQLite may still replay; the orphan sweep takes it).
    size_t bodies = StoredBodies(dir / "data");
    CHECK(bodies >= stored.size());
    CHECK(bodies <= stored.size() + 1);

    // Room again: writes work again.
    REQUIRE(disk.Resize("16m"));
    auto again =
        c.Post("/api/v1/paste", json{{"paste_contents", "after"}}.dump(), "application/json");
    REQUIRE(again);
    CHECK(again->status == 201);
    CHECK(WaitUntil([&] { return c.Get("/readyz")->status == 200; }));
    auto cli = Run({BinaryPath("pastebin"), "--server", d.url(), "put"}, "cli after",
                   {{"HOME", dir / "home"}});
    CHECK(cli.exit_code == 0);
    CHECK(d.Stop() == 0);
  }
}

// Makes dir read-only in place (a bind mount of itself, remounted ro) for
// the lifetime of the object. Unlike remounting a whole file system, this
// works while other files there are open for writing.
class ReadOnlyBind {
 public:
  explicit ReadOnlyBind(const std::string& dir) : dir_(dir) {
    ok_ = mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) == 0 &&
          mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0;
  }
  ~ReadOnlyBind() { umount2(dir_.c_str(), MNT_DETACH); }
  bool ok() const { return ok_; }

 private:
  std::string dir_;
  bool ok_ = false;
};

TEST_CASE("readiness follows whether pastes can be written, liveness does not") {
  // Regression: /healthz said ok while every write failed (data dir
  // read-only): a load balancer kept sending writes to a node that could
  // store nothing.
  if (geteuid() != 0) SkipTest("needs root to mount");
  E2e e;
  auto c = e.Http();
  REQUIRE(c.Get("/readyz")->status == 200);
  CHECK(json::parse(c.Get("/readyz")->body)["status"] == "ready");

  auto read_only = std::make_unique<ReadOnlyBind>(e.dir / "data/content");
  if (!read_only->ok()) SkipTest("cannot bind-mount here");
  REQUIRE(WaitUntil([&] { return c.Get("/readyz")->status == 503; }));
  auto r = c.Get("/readyz");
  CHECK(json::parse(r->body)["error"]["message"] ==
        "not ready: the data dir is on a read-only file system");
  CHECK(r->get_header_value("Retry-After") == "5");
  CHECK(c.Get("/healthz")->status == 200);
  // A body too large for the database needs the content dir: refused.
  std::string big = RandomText(200 * 1024, 1);
  auto write = c.Post("/api/v1/paste", json{{"paste_contents", big}}.dump(), "application/json");
  REQUIRE(write);
  CHECK(write->status >= 500);
  CHECK_THAT(e.daemon.log(),
             Catch::Contains("not ready: the data dir is on a read-only file system"));

  read_only.reset();
  REQUIRE(WaitUntil([&] { return c.Get("/readyz")->status == 200; }));
  CHECK_THAT(e.daemon.log(), Catch::Contains("ready again"));
  CHECK(c.Post("/api/v1/paste", R"({"paste_contents": "x"})", "application/json")->status == 201);
}

}  // namespace
}  // namespace pastebin::testing
