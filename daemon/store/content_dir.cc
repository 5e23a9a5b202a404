#include "daemon/store/content_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <unordered_set>
#include <vector>

namespace pastebin {
namespace {

constexpr size_t kNameBytes = 16;  // 128 random bits: 32 hex characters

Status IoError(int err, const std::string& what, const std::string& path) {
  if (err == ENOSPC || err == EDQUOT) {
    return Status(Code::kInsufficientStorage, "the server's disk is full (" + what + " " + path +
                                                  "); the paste was not stored, try again later");
  }
  return Internal("cannot " + what + " " + path + ": " + strerror(err));
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(errno, "write", path);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Names in dir (not "." or ".."); empty if dir does not exist.
Result<std::vector<std::string>> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (!d) {
    if (errno == ENOENT) return names;
    return IoError(errno, "list", dir);
  }
  while (struct dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  closedir(d);
  return names;
}

// Removes path if it is a regular file last modified at or before cutoff;
// adds it to sweep when it did.
void RemoveIfOlder(const std::string& path, int64_t cutoff, BodyStore::Sweep& sweep) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  if (st.st_mtime > cutoff) return;
  if (unlink(path.c_str()) == 0) {
    sweep.files++;
    sweep.bytes += st.st_size;
  }
}

}  // namespace

Status MakePrivateDir(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
    struct stat st;
    if (stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return Status::Ok();
    }
    return Internal(dir +
                    " exists but is not a directory; move it away or "
                    "choose another data dir");
  }
  return Internal("cannot create directory " + dir + ": " + strerror(errno) +
                  "; create it or choose another data dir");
}

Status SyncDir(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError(errno, "open", dir);
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  return rc == 0 ? Status::Ok() : IoError(err, "fsync", dir);
}

Result<std::unique_ptr<ContentDir>> ContentDir::Open(const std::string& data_dir, Random& random) {
  Status made = MakePrivateDir(data_dir + "/content");
  if (!made.ok()) return made;
  std::string content = data_dir + "/content";
  int fd = open(content.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError(errno, "open", content);
  return std::unique_ptr<ContentDir>(new ContentDir(data_dir, random, fd));
}

ContentDir::~ContentDir() { close(dir_fd_); }

bool ContentDir::IsValidKey(const std::string& key) {
  // "content/" H "/" HH "/" 32 × hex
  constexpr size_t kLen = 8 + 1 + 1 + 2 + 1 + 2 * kNameBytes;
  if (key.size() != kLen || key.compare(0, 8, "content/") != 0) return false;
  for (size_t i = 8; i < kLen; ++i) {
    char c = key[i];
    bool slash = i == 9 || i == 12;
    if (slash ? c != '/' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return key.compare(8, 1, key, 13, 1) == 0 && key.compare(10, 2, key, 14, 2) == 0;
}

Status ContentDir::EnsureShard(const std::string& shard) {
  // shard is "content/H/HH"; a new folder is synced into its parent so the
  // file entries made in it survive a crash.
  std::string top = shard.substr(0, 9);
  std::string parent = data_dir_ + "/content";
  for (const std::string& rel : {top, shard}) {
    std::string dir = data_dir_ + "/" + rel;
    if (mkdir(dir.c_str(), 0700) == 0) {
      Status s = SyncDir(parent);
      if (!s.ok()) return s;
    } else if (errno != EEXIST) {
      return IoError(errno, "create directory", dir);
    }
    parent = dir;
  }
  return Status::Ok();
}

Result<std::string> ContentDir::Put(std::string_view bytes) {
  std::string name = RandomHex(random_, kNameBytes);
  if (name.empty()) {
    return Status(Code::kUnavailable, "the random number generator failed");
  }
  std::string shard = "content/" + name.substr(0, 1) + "/" + name.substr(1, 2);
  std::string key = shard + "/" + name;
  std::string path = data_dir_ + "/" + key;
  Status s = EnsureShard(shard);
  if (!s.ok()) return s;
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(errno, "create", path);
  s = WriteAll(fd, bytes, path);
  if (s.ok() && fdatasync(fd) != 0) s = IoError(errno, "sync", path);
  if (close(fd) != 0 && s.ok()) s = IoError(errno, "close", path);
  // The file's name must be durable too before a row may point at it.
  if (s.ok()) s = SyncDir(data_dir_ + "/" + shard);
  if (!s.ok()) {
    unlink(path.c_str());
    return s;
  }
  return key;
}

Result<std::string> ContentDir::Read(const std::string& key) {
  if (!IsValidKey(key)) return Internal("invalid content key '" + key + "'");
  std::string path = data_dir_ + "/" + key;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("paste body " + key + " is gone");
    return IoError(errno, "open", path);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return IoError(err, "stat", path);
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = pread(fd, &out[got], out.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      close(fd);
      return IoError(err, "read", path);
    }
    got += static_cast<size_t>(n);
  }
  close(fd);
  return out;
}

Result<BodyStore::Sweep> ContentDir::RemoveOrphans(int64_t now, int64_t min_age,
                                                   const ReferencedKeys& referenced) {
  Sweep sweep;
  int64_t cutoff = now - min_age;
  // Temp files (of data dirs from before storage v2) belong to no row.
  std::string tmp = data_dir_ + "/content/tmp";
  auto tmp_names = ListDir(tmp);
  if (!tmp_names.ok()) return tmp_names.status();
  for (const auto& name : *tmp_names) RemoveIfOlder(tmp + "/" + name, cutoff, sweep);

  static const char kHex[] = "0123456789abcdef";
  for (int top = 0; top < 16; ++top) {
    std::string top_rel = std::string("content/") + kHex[top];
    auto shards = ListDir(data_dir_ + "/" + top_rel);
    if (!shards.ok()) return shards.status();
    for (const auto& shard : *shards) {
      std::string prefix = top_rel + "/" + shard + "/";
      // List the files before asking for the rows: a body old enough to be
      // removed had its row committed (if ever) long before this snapshot.
      auto names = ListDir(data_dir_ + "/" + prefix);
      if (!names.ok()) return names.status();
      // Even an empty shard is asked about: its rows may have lost bodies.
      auto keep = referenced(prefix);
      if (!keep.ok()) return keep.status();
      std::unordered_set<std::string> present;
      for (const auto& name : *names) {
        std::string key = prefix + name;
        present.insert(key);
        // Only names this store hands out; anything else is not ours.
        if (!IsValidKey(key) || keep->count(key)) continue;
        RemoveIfOlder(data_dir_ + "/" + key, cutoff, sweep);
      }
      // A row committed after the listing has its body by now: look again
      // before calling a body missing.
      for (const std::string& key : *keep) {
        struct stat st;
        if (!present.count(key) && lstat((data_dir_ + "/" + key).c_str(), &st) != 0 &&
            errno == ENOENT) {
          sweep.missing.push_back(key);
        }
      }
    }
  }
  return sweep;
}

Status ContentDir::CheckWritable(int64_t room) {
  std::string tmp = data_dir_ + "/content";
  struct statvfs fs;
  if (statvfs(tmp.c_str(), &fs) != 0) {
    return Status(Code::kUnavailable,
                  std::string("the data dir cannot be examined (") + strerror(errno) + ")");
  }
  if (fs.f_flag & ST_RDONLY) {
    return Status(Code::kUnavailable, "the data dir is on a read-only file system");
  }
  int64_t free_bytes = static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
  if (free_bytes < room) {
    return Status(Code::kInsufficientStorage,
                  "the disk is nearly full (" + std::to_string(free_bytes) +
                      " bytes free, a paste may need " + std::to_string(room) + ")");
  }
  // An unnamed file needs no clean-up, even after a crash.
  int fd = open(tmp.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status(Code::kUnavailable,
                  std::string("the data dir is not writable (") + strerror(errno) + ")");
  }
  bool ok = write(fd, "r", 1) == 1 && fdatasync(fd) == 0;
  int err = errno;
  close(fd);
  if (!ok) {
    return Status(Code::kUnavailable,
                  std::string("the data dir is not writable (") + strerror(err) + ")");
  }
  return Status::Ok();
}

Status ContentDir::Remove(const std::string& key) {
  if (!IsValidKey(key)) return Internal("invalid content key '" + key + "'");
  std::string path = data_dir_ + "/" + key;
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return IoError(errno, "remove", path);
  }
  return Status::Ok();
}

}  // namespace pastebin
