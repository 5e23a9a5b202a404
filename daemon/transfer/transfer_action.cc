#include "daemon/transfer/transfer_action.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/random.h"
#include "common/strings.h"
#include "daemon/base/log.h"
#include "daemon/base/test_clock.h"
#include "daemon/paste_service.h"
#include "daemon/store/content_dir.h"
#include "daemon/store/stores.h"
#include "daemon/transfer/peer_sources.h"
#include "daemon/transfer/transfer.h"

namespace pastebin {
namespace {

std::string Plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The stores as pasted opens them; PostgreSQL under a node name of the
// transfer's own, so that it never takes a serving node's.
Result<Stores> OpenForTransfer(const Settings& s, Random& random) {
  StoreOptions options = StoreOptionsOf(s);
  options.postgres_read_url = "";  // everything from the primary
  if (s.store == "sqlite") {
    size_t slash = s.data_dir.find_last_of('/');
    if (slash != std::string::npos && slash > 0) MakePrivateDirs(s.data_dir.substr(0, slash));
    Status made = MakePrivateDir(s.data_dir);
    if (!made.ok()) return made;
    // Export and import run beside a serving pasted. Only with the data
    // dir's lock free (no pasted on it) may opening move an older file's
    // rows to the new layout; the lock is held while the stores open.
    int lock = open((s.data_dir + "/pasted.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    options.holds_data_dir = lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0;
    auto stores = OpenStores(options, random);
    if (lock >= 0) close(lock);
    return stores;
  } else {
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    options.node = (s.node_name.empty() ? std::string(host) : s.node_name) + "-transfer-" +
                   std::to_string(getpid());
  }
  return OpenStores(options, random);
}

std::string Where(const Settings& s) {
  return s.store == "sqlite" ? "data dir " + s.data_dir : std::string("PostgreSQL");
}

int Export(const Settings& settings, PasteService& pastes, Stores& stores,
           const std::string& path) {
  bool to_stdout = path.empty() || path == "-";
  std::FILE* out = to_stdout ? stdout : fopen(path.c_str(), "wbx");
  if (!out) {
    LogError("cannot create " + path + ": " + strerror(errno) +
             (errno == EEXIST ? "; export writes a new file: give another name" : ""));
    return 1;
  }
  auto done = ExportStore(pastes, *stores.rows, *stores.visits, out);
  if (!to_stdout && fclose(out) != 0 && done.ok()) {
    done = Internal("cannot write " + path + ": " + strerror(errno));
  }
  if (!done.ok()) {
    LogError(done.status().message());
    if (!to_stdout) unlink(path.c_str());
    return 1;
  }
  std::string what = "exported " + Plural(done->counts.pastes, "paste", "pastes") + " (" +
                     Plural(done->counts.bytes, "byte", "bytes") + ") and " +
                     Plural(done->counts.visit_counts, "visit count", "visit counts") + " from " +
                     Where(settings) + (to_stdout ? "" : " to " + path);
  if (done->deleted_during > 0) {
    what += "; " + std::to_string(done->deleted_during) + " deleted while it ran left out";
  }
  // The stream may be stdout: the summary goes to stderr then.
  fprintf(to_stdout ? stderr : stdout, "%s\n", what.c_str());
  return 0;
}

int Import(const Settings& settings, PasteService& pastes, Stores& stores,
           const TransferRequest& request, const Clock& clock, Random& random) {
  int64_t warnings = 0;
  auto warn = [&](const std::string& message) {
    warnings++;
    LogWarn(message);
  };
  std::FILE* in = nullptr;
  std::unique_ptr<PasteSource> source;
  std::string name = request.path.empty() || request.path == "-" ? "stdin" : request.path;
  if (request.from == "pastebin") {
    in = name == "stdin" ? stdin : fopen(request.path.c_str(), "rb");
    if (!in) {
      LogError("cannot read " + request.path + ": " + strerror(errno));
      return 1;
    }
    source = std::make_unique<StreamSource>(in, name);
  } else {
    if (request.path.empty()) {
      LogError("import --from " + request.from + " needs " +
               (request.from == "haste" ? "haste's storage directory" : "wastebin's database"));
      return 1;
    }
    auto opened = request.from == "haste"
                      ? OpenHasteSource(request.path, request.keys, clock, random, warn)
                      : OpenWastebinSource(request.path, clock, random, warn);
    if (!opened.ok()) {
      LogError(opened.status().message());
      return 1;
    }
    source = std::move(opened).value();
  }
  ImportSummary done = ImportInto(*source, pastes, *stores.visits, warn);
  if (in && in != stdin) fclose(in);
  std::string what = "imported " + Plural(done.stored, "paste", "pastes") + " into " +
                     Where(settings) + "; " + std::to_string(done.already_there) +
                     " already there; " + std::to_string(done.taken) + " taken by others; " +
                     Plural(done.bytes, "byte", "bytes") + "; " +
                     Plural(done.visit_counts, "visit count", "visit counts");
  printf("%s\n", what.c_str());
  if (!done.error.ok()) {
    LogError(done.error.message());
    return 1;
  }
  if (done.taken > 0 || warnings > 0) {
    LogError("not everything was imported: see the warnings above");
    return 1;
  }
  return 0;
}

}  // namespace

int RunTransfer(const Settings& settings, const TransferRequest& request) {
  std::string fake_clock;
  const Clock& clock = ClockFromEnvironment(&fake_clock);
  Random& random = SystemRandom();
  auto stores = OpenForTransfer(settings, random);
  if (!stores.ok()) {
    LogError(stores.status().message());
    return 1;
  }
  PasteLimits limits;
  limits.inline_max_bytes = settings.inline_max_bytes;
  limits.cache_bytes = 0;
  PasteService pastes(*stores->metadata, stores->files(), clock, random, limits);
  if (request.action == "export") return Export(settings, pastes, *stores, request.path);
  return Import(settings, pastes, *stores, request, clock, random);
}

}  // namespace pastebin
