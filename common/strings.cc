#include "common/strings.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace pastebin {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string HumanBytes(int64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " B";
  const char* units[] = {"KB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  for (v /= 1000; v >= 999.95 && u + 1 < std::size(units); ++u) v /= 1000;
  char buf[32];
  snprintf(buf, sizeof(buf), "%.1f %s", v, units[u]);
  return buf;
}

std::optional<bool> ParseBool(std::string_view s) {
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  if (lower == "yes" || lower == "true" || lower == "on" || lower == "1") return true;
  if (lower == "no" || lower == "false" || lower == "off" || lower == "0") return false;
  return std::nullopt;
}

std::string XdgPastebinDir(const char* env_var, const char* home_fallback) {
  const char* xdg = getenv(env_var);
  if (xdg && xdg[0] == '/') return std::string(xdg) + "/pastebin";
  const char* home = getenv("HOME");
  if (home && home[0] == '/') return std::string(home) + "/" + home_fallback + "/pastebin";
  return "";
}

bool MakePrivateDirs(const std::string& dir) {
  for (size_t pos = 1; pos != std::string::npos;) {
    pos = dir.find('/', pos + 1);
    std::string part = dir.substr(0, pos);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return false;
  }
  return true;
}

Status CheckPrivateDir(const std::string& dir) {
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) {
    return Status(Code::kForbidden, dir + " cannot be read (" + strerror(errno) + ")");
  }
  if (!S_ISDIR(st.st_mode)) return Status(Code::kForbidden, dir + " is not a directory");
  if (st.st_uid != geteuid()) {
    return Status(Code::kForbidden,
                  dir + " belongs to another user (uid " + std::to_string(st.st_uid) + ")");
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return Status(Code::kForbidden,
                  dir + " may be written by others (mode " + std::to_string((st.st_mode >> 6) & 7) +
                      std::to_string((st.st_mode >> 3) & 7) + std::to_string(st.st_mode & 7) + ")");
  }
  return Status::Ok();
}

Status ParseConfigLines(
    std::string_view text, const std::string& file_name,
    const std::function<Status(std::string_view key, std::string_view value)>& apply) {
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    std::string where = file_name + ":" + std::to_string(line_no) + ": ";
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgument(where + "expected 'key = value', got '" + std::string(line) + "'");
    }
    std::string_view key = Trim(line.substr(0, eq));
    std::string_view value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    Status s = apply(key, value);
    if (!s.ok()) return Status(s.code(), where + s.message());
  }
  return Status::Ok();
}

namespace {

// Edits (insert, delete, replace, swap of neighbours) from a to b.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string NearestWord(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;  // suggest only what is close
  for (const std::string& name : candidates) {
    size_t d = EditDistance(word, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

}  // namespace pastebin
