// Status and Result<T>: errors are values inside the program. Each Code has
// one wire name and one HTTP status (the table in status.cc), so the daemon
// maps a Status to an HTTP answer and the CLI maps the answer back without
// either of them keeping its own list.
#ifndef PASTEBIN_COMMON_STATUS_H_
#define PASTEBIN_COMMON_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pastebin {

enum class Code {
  kOk,
  kInvalidArgument,      // 400 bad_request: the request or input is malformed
  kForbidden,            // 403 forbidden: wrong token or not allowed here
  kNotFound,             // 404 not_found: unknown, expired or deleted
  kConflict,             // 409 conflict: e.g. a shortlink already taken
  kTooLarge,             // 413 too_large: over the configured maximum
  kNotText,              // 415 not_text: not UTF-8 or contains NUL bytes
  kRateLimited,          // 429 rate_limited
  kInternal,             // 500 internal
  kUnavailable,          // 503 unavailable: try again later / unreachable
  kInsufficientStorage,  // 507 insufficient_storage: the disk is full
  kWouldBlock            // internal: a non-blocking attempt must be retried blocking
};

class Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Wire name of the code ("not_found", ...), and the HTTP status for it.
  const char* code_name() const;
  int http_status() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Helpers so call sites read like the error they report.
inline Status InvalidArgument(std::string m) {
  return Status(Code::kInvalidArgument, std::move(m));
}
inline Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
inline Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

// Wire name and HTTP status of a code; CodeFromName returns nullopt for a
// name not in the table (e.g. from a newer server).
const char* CodeName(Code code);
int HttpStatusFor(Code code);
std::optional<Code> CodeFromName(const std::string& name);
// The code a bare HTTP status maps to, for answers without a JSON error body.
Code CodeFromHttpStatus(int status);

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: must not be OK

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  // By value, so `for (x : *F())` over a temporary Result cannot dangle.
  T value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_STATUS_H_
