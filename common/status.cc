#include "common/status.h"

namespace pastebin {
namespace {

struct CodeInfo {
  Code code;
  const char* name;
  int http_status;
};

// The one place where error codes meet HTTP.
constexpr CodeInfo kCodes[] = {
    {Code::kOk, "ok", 200},
    {Code::kInvalidArgument, "bad_request", 400},
    {Code::kForbidden, "forbidden", 403},
    {Code::kNotFound, "not_found", 404},
    {Code::kConflict, "conflict", 409},
    {Code::kTooLarge, "too_large", 413},
    {Code::kNotText, "not_text", 415},
    {Code::kRateLimited, "rate_limited", 429},
    {Code::kInternal, "internal", 500},
    {Code::kUnavailable, "unavailable", 503},
    {Code::kInsufficientStorage, "insufficient_storage", 507},
    {Code::kWouldBlock, "would_block", 503},
};

const CodeInfo& Info(Code code) {
  for (const auto& info : kCodes) {
    if (info.code == code) return info;
  }
  return kCodes[8];  // kInternal; unreachable while the table is complete
}

}  // namespace

const char* CodeName(Code code) { return Info(code).name; }
int HttpStatusFor(Code code) { return Info(code).http_status; }

std::optional<Code> CodeFromName(const std::string& name) {
  for (const auto& info : kCodes) {
    if (name == info.name) return info.code;
  }
  return std::nullopt;
}

Code CodeFromHttpStatus(int status) {
  for (const auto& info : kCodes) {
    if (info.http_status == status) return info.code;
  }
  if (status >= 500) return Code::kInternal;
  if (status >= 400) return Code::kInvalidArgument;
  return Code::kOk;
}

const char* Status::code_name() const { return CodeName(code_); }
int Status::http_status() const { return HttpStatusFor(code_); }

}  // namespace pastebin
