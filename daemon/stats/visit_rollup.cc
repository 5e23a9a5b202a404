#include "daemon/stats/visit_rollup.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "common/shortlink.h"
#include "daemon/base/log.h"
#include "daemon/stats/log_line.h"
#include "daemon/token.h"

namespace pastebin {
namespace {

constexpr size_t kChunk = 4 << 20;
// A first line longer than this is fingerprinted by its first kChunk bytes.
constexpr size_t kFingerprintMax = 64 << 10;

int AlphabetIndex(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  return c == '-' ? 62 : 63;  // '+': imported links (shortlink.h)
}

// AlphabetIndex's characters, in order: 6 bits each.
constexpr char kPackedAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-+";

Status ReadError(const std::string& path) {
  return Internal("cannot read access log " + path + ": " + strerror(errno));
}

// Closes an fd on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

VisitCounter::Slot& VisitCounter::Find(uint64_t key) {
  // Fibonacci hashing spreads the packed keys, whose low bits vary least.
  size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> 20) & mask;
  while (slots_[i].key != key && slots_[i].key != kEmpty) i = (i + 1) & mask;
  return slots_[i];
}

void VisitCounter::Add(uint64_t key) {
  Slot* slot = &Find(key);
  if (slot->key == kEmpty) {
    if (2 * (used_ + 1) > slots_.size()) {
      Grow();
      slot = &Find(key);
    }
    slot->key = key;
    used_++;
  }
  slot->count++;
}

void VisitCounter::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  for (const Slot& s : old) {
    if (s.key != kEmpty) Find(s.key) = s;
  }
}

std::vector<std::pair<uint64_t, int64_t>> VisitCounter::Sorted() const {
  std::vector<std::pair<uint64_t, int64_t>> out;
  out.reserve(used_);
  for (const Slot& s : slots_) {
    if (s.key != kEmpty) out.emplace_back(s.key, s.count);
  }
  std::sort(out.begin(), out.end());
  return out;
}

uint64_t PackVisitKey(int month_index, std::string_view shortlink) {
  uint64_t key = static_cast<uint64_t>(month_index);
  for (char c : shortlink) key = key << 6 | static_cast<uint64_t>(AlphabetIndex(c));
  return key;
}

VisitCount UnpackVisitKey(uint64_t key, int64_t visits) {
  VisitCount out;
  out.shortlink.resize(kShortlinkLength);
  for (size_t i = kShortlinkLength; i-- > 0;) {
    out.shortlink[i] = kPackedAlphabet[key & 63];
    key >>= 6;
  }
  out.month = MonthName(static_cast<int>(key));
  out.visits = visits;
  return out;
}

Result<std::optional<std::string>> LogFingerprint(int fd, const std::string& path) {
  std::string head(kFingerprintMax, '\0');
  ssize_t n = pread(fd, head.data(), head.size(), 0);
  if (n < 0) return ReadError(path);
  head.resize(static_cast<size_t>(n));
  size_t nl = head.find('\n');
  if (nl == std::string::npos) {
    if (head.size() < kFingerprintMax) return std::optional<std::string>();
    nl = head.size();
  }
  return std::optional<std::string>(HashToken(std::string_view(head).substr(0, nl)));
}

Result<LogScan> ScanLog(int fd, int64_t offset, const std::string& path) {
  LogScan scan;
  scan.end_offset = offset;
  std::vector<char> buf(kChunk);
  size_t carry = 0;  // bytes of an unfinished line at the front of buf
  int64_t pos = offset;
  for (;;) {
    if (carry == buf.size()) buf.resize(buf.size() * 2);  // a huge line
    ssize_t n = pread(fd, buf.data() + carry, buf.size() - carry, pos);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ReadError(path);
    }
    if (n == 0) break;
    pos += n;
    const char* begin = buf.data();
    const char* end = begin + carry + n;
    const char* line = begin;
    while (const char* nl =
               static_cast<const char*>(memchr(line, '\n', static_cast<size_t>(end - line)))) {
      scan.lines++;
      if (auto parsed = ParseLogLine(std::string_view(line, nl - line))) {
        if (auto link = VisitedShortlink(*parsed)) {
          if (link->size() == kShortlinkLength) {
            scan.counts.Add(PackVisitKey(parsed->month_index, *link));
          } else {
            scan.long_counts[{parsed->month_index, *link}]++;
          }
          scan.visits++;
        }
      }
      scan.end_offset += nl + 1 - line;
      line = nl + 1;
    }
    carry = static_cast<size_t>(end - line);
    memmove(buf.data(), line, carry);
  }
  return scan;
}

Result<RollupResult> VisitRollup::RollUpFile(const std::string& path,
                                             std::optional<std::string>* fingerprint) {
  Fd f{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == ENOENT) return RollupResult();
    return ReadError(path);
  }
  auto fp = LogFingerprint(f.fd, path);
  if (!fp.ok()) return fp.status();
  if (!*fp) return RollupResult();  // no complete line yet
  const std::string id = **fp;
  *fingerprint = id;
  auto offset = stats_.CursorOffset(id);
  if (!offset.ok()) return offset.status();
  struct stat st;
  if (fstat(f.fd, &st) != 0) return ReadError(path);
  int64_t from = offset->value_or(0);
  if (from > st.st_size) {
    LogWarn("access log " + path +
            " is shorter than where the last rollup "
            "stopped; it was rewritten, skipping it");
    return RollupResult();
  }
  auto scan = ScanLog(f.fd, from, path);
  if (!scan.ok()) return scan.status();
  if (scan->end_offset == from) return RollupResult();
  // In key order, which is (month, shortlink) order: the B-tree inserts
  // then land next to each other instead of all over the table.
  auto sorted = scan->counts.Sorted();
  std::vector<VisitCount> counts;
  counts.reserve(sorted.size());
  for (const auto& [key, visits] : sorted) {
    counts.push_back(UnpackVisitKey(key, visits));
  }
  // Longer links after them, in their own order: every node applies the
  // same order, so two never deadlock.
  for (const auto& [month_link, visits] : scan->long_counts) {
    counts.push_back(VisitCount{MonthName(month_link.first), month_link.second, visits});
  }
  Status s = stats_.Apply(counts, LogCursor{id, path, scan->end_offset}, clock_.NowSeconds());
  if (!s.ok()) return s;
  return RollupResult{scan->lines, scan->visits};
}

Result<RollupResult> VisitRollup::Run() {
  std::lock_guard<std::mutex> lock(mu_);
  Status flushed = flush_();
  if (!flushed.ok()) LogWarn(flushed.message());
  RollupResult total;
  std::vector<std::string> seen;
  // The rotated file first: its lines are older.
  for (const std::string& path : {log_path_ + ".1", log_path_}) {
    std::optional<std::string> fingerprint;
    auto r = RollUpFile(path, &fingerprint);
    if (!r.ok()) return r.status();
    if (fingerprint) seen.push_back(*fingerprint);
    total.lines += r->lines;
    total.visits += r->visits;
  }
  Status s = stats_.KeepOnlyCursors(seen);
  if (!s.ok()) return s;
  return total;
}

}  // namespace pastebin
