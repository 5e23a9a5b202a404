#include "daemon/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <atomic>

namespace pastebin {
namespace {

constexpr const char* kNames[] = {"error", "warn", "info", "debug"};
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

bool UnderJournald() {
  static const bool under = getenv("JOURNAL_STREAM") != nullptr;
  return under;
}

}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (name == kNames[i]) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

const char* LogLevelName(LogLevel level) { return kNames[static_cast<int>(level)]; }

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) <= g_level.load(std::memory_order_relaxed);
}

void Log(LogLevel level, const std::string& message) {
  if (!LogEnabled(level)) return;
  std::string line;
  if (!UnderJournald()) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char buf[40];
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ ", &tm);
    line = buf;
  }
  line += "pasted: ";
  line += LogLevelName(level);
  line += ": ";
  line += message;
  line += '\n';
  // One fwrite per line keeps lines from different threads whole.
  fwrite(line.data(), 1, line.size(), stderr);
  fflush(stderr);
}

}  // namespace pastebin
