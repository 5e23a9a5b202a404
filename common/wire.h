// The JSON wire types of the HTTP API (pasted(8), "HTTP API"), shared by the
// daemon and the CLI. This is the only file that calls nlohmann/json for
// them: parse functions return kInvalidArgument with a message naming the
// field instead of throwing.
#ifndef PASTEBIN_COMMON_WIRE_H_
#define PASTEBIN_COMMON_WIRE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace pastebin {

// POST /api/v1/paste
struct CreatePasteRequest {
  std::string paste_contents;
  // Absent, null and 0 mean "never" (or the server's default expiry).
  std::optional<int64_t> expiration_length_in_minutes;
  bool burn_after_reading = false;  // served once, then gone
  std::string language;             // for highlighting ("py"), or ""
};
std::string ToJson(const CreatePasteRequest& req);
// Accepts the expiration as a JSON integer or a string of decimal digits
// ("60", as the chapter sends it). Rejects negatives, fractions, non-numbers
// and values above kMaxExpiryMinutes. Contents must be a string; the JSON
// parser itself refuses invalid UTF-8.
// The common shape is read by a fast path (common/fast_json.h); the same
// answer, parsed with nlohmann/json alone, is ParseCreatePasteRequestSlowly
// (for the fuzzer that compares them).
Result<CreatePasteRequest> ParseCreatePasteRequest(std::string_view body);
Result<CreatePasteRequest> ParseCreatePasteRequestSlowly(std::string_view body);

// POST /api/v1/link
struct CreateLinkRequest {
  std::string url;  // where the short link goes
  std::optional<int64_t> expiration_length_in_minutes;
};
std::string ToJson(const CreateLinkRequest& req);
// The expiration as for pastes; "url" must be a string (checked further by
// CheckLinkTarget).
Result<CreateLinkRequest> ParseCreateLinkRequest(std::string_view body);

// 201 answer to a create (of a paste, or of a short link: then target).
struct PasteCreated {
  std::string shortlink;
  std::string url;
  std::optional<std::string> target;      // short links only
  std::string created_at;                 // RFC 3339 UTC (older pasted: "YYYY-MM-DD HH:MM:SS")
  std::optional<std::string> expires_at;  // null when never
  int64_t expiration_length_in_minutes = 0;
  std::string delete_token;
};
std::string ToJson(const PasteCreated& created);
Result<PasteCreated> ParsePasteCreated(std::string_view body);

// GET /api/v1/link?shortlink=X
struct LinkView {
  std::string shortlink;
  std::string target;
  std::string created_at;
  std::optional<std::string> expires_at;
  int64_t expiration_length_in_minutes = 0;
};
std::string ToJson(const LinkView& view);
Result<LinkView> ParseLinkView(std::string_view body);

// GET /api/v1/paste?shortlink=X
struct PasteView {
  std::string shortlink;
  std::string paste_contents;
  std::string created_at;
  std::optional<std::string> expires_at;
  int64_t expiration_length_in_minutes = 0;
};
std::string ToJson(const PasteView& view);
Result<PasteView> ParsePasteView(std::string_view body);

// POST /api/v1/admin/gc
// GET /api/v1/info: what a client may send this server.
struct ServerInfo {
  std::string version;
  int64_t max_paste_bytes = 0;
  int64_t default_expiry_minutes = 0;  // 0 = never
  int64_t max_expiry_minutes = 0;      // 0 = no maximum
};
std::string ToJson(const ServerInfo& info);
Result<ServerInfo> ParseServerInfo(std::string_view body);

// GET /api/v1/admin/challenge: a nonce for a Pastebin-Admin proof.
struct AdminChallenge {
  std::string nonce;
  int64_t expires_in = 0;  // seconds
};
std::string ToJson(const AdminChallenge& challenge);
// kInvalidArgument unless nonce is lowercase hex of 8 to 64 digits.
Result<AdminChallenge> ParseAdminChallenge(std::string_view body);

struct GcResult {
  int64_t deleted = 0;          // expired pastes deleted
  int64_t bytes_freed = 0;      // bytes of bodies removed
  int64_t orphans_removed = 0;  // bodies no paste pointed at
  int64_t missing_bodies = 0;   // pastes removed because their body was gone
};
std::string ToJson(const GcResult& gc);
Result<GcResult> ParseGcResult(std::string_view body);

// GET /api/v1/admin/stats: without ?month, every month.
struct StatsMonthSummary {
  std::string month;  // "YYYY-MM"
  int64_t total_visits = 0;
  int64_t pastes_visited = 0;
};
// What the server holds now: its pastes (and short links), their bytes as
// pasted and as stored (compressed where that saved space).
struct StatsStorage {
  int64_t pastes = 0;
  int64_t bytes_pasted = 0;
  int64_t bytes_stored = 0;
};
struct StatsMonths {
  std::vector<StatsMonthSummary> months;  // oldest first
  std::optional<StatsStorage> storage;    // absent from older servers
};
std::string ToJson(const StatsMonths& stats);
Result<StatsMonths> ParseStatsMonths(std::string_view body);

// GET /api/v1/admin/stats?month=YYYY-MM
struct StatsPasteVisits {
  std::string shortlink;
  int64_t visits = 0;
};
struct StatsMonth {
  std::string month;
  int64_t total_visits = 0;
  int64_t pastes_visited = 0;
  std::vector<StatsPasteVisits> pastes;  // most visited first
};
std::string ToJson(const StatsMonth& stats);
Result<StatsMonth> ParseStatsMonth(std::string_view body);

// GET /api/v1/paste/stats?shortlink=X (with its delete token): one paste's
// or short link's visits by month, oldest first.
struct LinkStatsMonth {
  std::string month;
  int64_t visits = 0;
};
struct LinkStats {
  std::string shortlink;
  int64_t total_visits = 0;
  std::vector<LinkStatsMonth> months;
};
std::string ToJson(const LinkStats& stats);
Result<LinkStats> ParseLinkStats(std::string_view body);

// {"error": {"code": "not_found", "message": "..."}}
std::string ErrorJson(const Status& status);
// The Status an error answer stands for: the code from the body when it is a
// known one, else from the HTTP status; the message from the body, else a
// generic one naming the HTTP status.
Status ParseErrorJson(int http_status, std::string_view body);
// True when body is such an error: {"error": {"code": "...", ...}}, what
// every pasted error answer carries (and other servers' answers do not).
bool IsErrorJson(std::string_view body);

}  // namespace pastebin

#endif  // PASTEBIN_COMMON_WIRE_H_
