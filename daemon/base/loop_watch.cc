#include "daemon/base/loop_watch.h"

namespace pastebin {
namespace {

thread_local LoopWatch* current = nullptr;

}  // namespace

LoopWatch* LoopWatch::Current() { return current; }

void LoopWatch::SetCurrent(LoopWatch* loop) { current = loop; }

}  // namespace pastebin
