#include "daemon/store/sqlite/data_dir_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/strings.h"
#include "common/time_format.h"
#include "daemon/store/content_dir.h"
#include "daemon/store/sqlite/sqlite.h"

namespace pastebin {
namespace {

constexpr char kManifest[] = "BACKUP";
constexpr char kFormat[] = "pasted-backup";
constexpr int kVersion = 1;
// What a data dir holds besides pastes.db and content/, copied when there.
const char* const kSideFiles[] = {"access.log", "access.log.1", "admin.token"};

Status Errno(const std::string& what, const std::string& path, const std::string& todo) {
  Code code = errno == ENOENT   ? Code::kNotFound
              : errno == ENOSPC ? Code::kInsufficientStorage
                                : Code::kInternal;
  return Status(code, what + " " + path + ": " + strerror(errno) + "; " + todo);
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// Copies src to dst (0600; one left by an attempt that failed is
// overwritten) and fsyncs it; kNotFound when src does not exist. Adds the
// bytes copied to *bytes.
Status CopyFile(const std::string& src, const std::string& dst, int64_t* bytes) {
  int in = open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Errno("cannot read", src, "check that it exists and may be read");
  int out = open(dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    close(in);
    return Errno("cannot create", dst, "check the destination's room and permissions");
  }
  std::vector<char> buf(1 << 20);
  Status s = Status::Ok();
  for (;;) {
    ssize_t n = read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      s = Errno("cannot read", src, "check the disk");
      break;
    }
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        s = Errno("cannot write", dst, "free some space or choose another destination");
        break;
      }
      done += w;
    }
    if (!s.ok()) break;
    if (bytes) *bytes += n;
  }
  if (s.ok() && fsync(out) != 0) s = Errno("cannot sync", dst, "check the disk");
  close(in);
  close(out);
  if (!s.ok()) unlink(dst.c_str());
  return s;
}

// Makes every missing folder of rel (a path under root) and syncs the new
// entries' parents.
Status MakeParents(const std::string& root, const std::string& rel) {
  std::string dir = root;
  size_t from = 0;
  for (size_t slash; (slash = rel.find('/', from)) != std::string::npos; from = slash + 1) {
    std::string next = dir + "/" + rel.substr(from, slash - from);
    if (!Exists(next)) {
      Status s = MakePrivateDir(next);
      if (!s.ok()) return s;
      s = SyncDir(dir);
      if (!s.ok()) return s;
    }
    dir = next;
  }
  return Status::Ok();
}

// A body key as rows hold it: content/H/HH/<hex>, never anything that
// could point elsewhere.
bool IsBodyKey(const std::string& key) {
  if (key.rfind("content/", 0) != 0 || key.find("..") != std::string::npos) return false;
  for (char c : key.substr(8)) {
    if (!(c == '/' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::vector<std::pair<std::string, std::string>>> RowsWithFileBodies(SqliteDb& db) {
  auto stmt = db.Prepare("SELECT shortlink, paste_path FROM pastes WHERE paste_path <> ''");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::pair<std::string, std::string>> out;
  for (;;) {
    auto step = (*stmt)->Next();
    if (!step.ok()) return step.status();
    if (*step == SqliteStmt::Step::kDone) break;
    out.emplace_back((*stmt)->Text(0), (*stmt)->Text(1));
  }
  return out;
}

Status SyncTree(const std::string& root, const std::vector<std::string>& dirs) {
  for (const std::string& d : dirs) {
    Status s = SyncDir(root + (d.empty() ? "" : "/" + d));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// Copies what src holds (pastes.db, bodies, side files) into dst, an
// existing empty folder; rows whose body is missing are dropped from the
// copy when drop_missing, else an error.
Result<BackupSummary> CopyBodiesAndSideFiles(const std::string& src, const std::string& dst,
                                             SqliteDb& copy, bool drop_missing) {
  BackupSummary sum;
  auto bodies = RowsWithFileBodies(copy);
  if (!bodies.ok()) return bodies.status();
  std::vector<std::string> dirs = {"", "content"};
  Status made = MakePrivateDir(dst + "/content");
  if (!made.ok()) return made;
  for (const auto& [link, key] : *bodies) {
    if (!IsBodyKey(key)) {
      return Status(Code::kInternal, "paste " + link + " names its body '" + key +
                                         "', which is not under content/; run pasted's check");
    }
    Status s = MakeParents(dst, key);
    if (s.ok()) s = CopyFile(src + "/" + key, dst + "/" + key, &sum.bytes);
    if (s.code() == Code::kNotFound && drop_missing) {
      // Deleted after the snapshot: the copy must not keep its row.
      auto del = copy.Prepare("DELETE FROM pastes WHERE shortlink = ?1");
      if (!del.ok()) return del.status();
      (*del)->BindText(1, link);
      Status gone = (*del)->Run();
      if (!gone.ok()) return gone;
      sum.deleted_during++;
      continue;
    }
    if (!s.ok()) return s;
    sum.files++;
    dirs.push_back(key.substr(0, key.rfind('/')));
  }
  for (const char* name : kSideFiles) {
    Status s = CopyFile(src + "/" + name, dst + "/" + name, nullptr);
    if (!s.ok() && s.code() != Code::kNotFound) return s;
  }
  auto count = copy.Prepare("SELECT count(*) FROM pastes");
  if (!count.ok()) return count.status();
  auto step = (*count)->Next();
  if (!step.ok()) return step.status();
  sum.pastes = (*count)->Int(0);
  Status synced = SyncTree(dst, dirs);
  if (!synced.ok()) return synced;
  return sum;
}

}  // namespace

Result<BackupSummary> BackupDataDir(const std::string& data_dir, const std::string& dest) {
  std::string db_path = data_dir + "/pastes.db";
  if (!Exists(db_path)) {
    return Status(Code::kNotFound, "no pastes.db in " + data_dir +
                                       "; name the data dir of a pasted with store sqlite "
                                       "(--data-dir or --config)");
  }
  if (Exists(dest)) {
    return Status(Code::kConflict, "backup destination " + dest +
                                       " already exists; name a new folder (a backup never "
                                       "overwrites)");
  }
  std::string partial = dest + ".partial";
  if (Exists(partial)) {
    return Status(Code::kConflict, partial +
                                       " is left from a backup that did not finish; remove it "
                                       "and run the backup again");
  }
  Status s = MakePrivateDir(partial);
  if (!s.ok()) return s;
  auto source = SqliteDb::Open(db_path, /*create=*/false);
  if (!source.ok()) return source.status();
  s = (*source)->BackupTo(partial + "/pastes.db");
  if (!s.ok()) return s;
  source->reset();
  Result<BackupSummary> sum = BackupSummary{};
  {
    auto copy = SqliteDb::Open(partial + "/pastes.db", /*create=*/false);
    if (!copy.ok()) return copy.status();
    sum = CopyBodiesAndSideFiles(data_dir, partial, **copy, /*drop_missing=*/true);
    if (!sum.ok()) return sum.status();
    // One file, no WAL beside it: whole once it is closed.
    s = (*copy)->Exec("PRAGMA journal_mode = DELETE");
    if (!s.ok()) return s;
  }
  nlohmann::json manifest = {
      {"format", kFormat},     {"version", kVersion}, {"created_at", FormatRfc3339(time(nullptr))},
      {"pastes", sum->pastes}, {"files", sum->files}, {"bytes", sum->bytes}};
  std::string text = manifest.dump(2) + "\n";
  std::string manifest_path = partial + "/" + kManifest;
  int fd = open(manifest_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create", manifest_path, "check the destination");
  bool ok =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) return Errno("cannot write", manifest_path, "free some space");
  int db_fd = open((partial + "/pastes.db").c_str(), O_RDONLY | O_CLOEXEC);
  if (db_fd >= 0) {
    fsync(db_fd);
    close(db_fd);
  }
  s = SyncDir(partial);
  if (!s.ok()) return s;
  if (rename(partial.c_str(), dest.c_str()) != 0) {
    return Errno("cannot rename", partial, "rename it to " + dest + " yourself");
  }
  size_t slash = dest.find_last_of('/');
  s = SyncDir(slash == std::string::npos ? "." : slash == 0 ? "/" : dest.substr(0, slash));
  if (!s.ok()) return s;
  return sum;
}

Result<BackupSummary> RestoreDataDir(const std::string& src, const std::string& data_dir) {
  nlohmann::json manifest;
  try {
    std::ifstream in(src + "/" + kManifest);
    if (!in) {
      return Status(Code::kNotFound, "no " + std::string(kManifest) + " in " + src +
                                         "; name a folder made by pasted backup");
    }
    manifest = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return Status(Code::kInvalidArgument,
                  src + "/" + kManifest + " is not a backup manifest (" + e.what() + ")");
  }
  if (manifest.value("format", "") != kFormat || manifest.value("version", 0) != kVersion) {
    return Status(Code::kInvalidArgument,
                  src +
                      " is not a pasted backup of version 1; restore it with the pasted "
                      "that made it");
  }
  if (Exists(data_dir + "/pastes.db")) {
    return Status(Code::kConflict, "data dir " + data_dir +
                                       " already holds pastes (pastes.db); restore into a new "
                                       "or empty data dir, or move it away first");
  }
  size_t slash = data_dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) MakePrivateDirs(data_dir.substr(0, slash));
  Status s = MakePrivateDir(data_dir);
  if (!s.ok()) return s;
  // Held while restoring: no pasted starts on a half-restored data dir.
  std::string lock_path = data_dir + "/pasted.lock";
  int lock = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return Errno("cannot open", lock_path, "check the data dir's permissions");
  if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
    close(lock);
    return Status(Code::kUnavailable,
                  "a pasted is running on data dir " + data_dir + "; stop it first");
  }
  auto copied = [&]() -> Result<BackupSummary> {
    auto backup = SqliteDb::Open(src + "/pastes.db", /*create=*/false);
    if (!backup.ok()) return backup.status();
    auto check = (*backup)->Prepare("PRAGMA quick_check");
    if (!check.ok()) return check.status();
    auto step = (*check)->Next();
    if (!step.ok()) return step.status();
    if ((*check)->Text(0) != "ok") {
      return Status(Code::kInternal, src + "/pastes.db is damaged (" + (*check)->Text(0) +
                                         "); restore from another backup");
    }
    Status b = (*backup)->BackupTo(data_dir + "/pastes.db");
    if (!b.ok()) return b;
    auto copy = SqliteDb::Open(data_dir + "/pastes.db", /*create=*/false);
    if (!copy.ok()) return copy.status();
    auto sum = CopyBodiesAndSideFiles(src, data_dir, **copy, /*drop_missing=*/false);
    if (!sum.ok()) return sum.status();
    if (sum->pastes != manifest.value("pastes", int64_t{-1}) ||
        sum->files != manifest.value("files", int64_t{-1}) ||
        sum->bytes != manifest.value("bytes", int64_t{-1})) {
      return Status(Code::kInternal,
                    src + " does not hold what its manifest lists (" + std::to_string(sum->pastes) +
                        " pastes, " + std::to_string(sum->files) + " files, " +
                        std::to_string(sum->bytes) + " bytes); restore from another backup");
    }
    return sum;
  }();
  if (!copied.ok()) {
    // Nothing half-restored is left for a pasted to start on.
    unlink((data_dir + "/pastes.db").c_str());
  }
  close(lock);
  return copied;
}

}  // namespace pastebin
