#include "daemon/front/paste_answer.h"

#include <algorithm>

#include "daemon/front/answer.h"
#include "daemon/http/http_caching.h"
#include "daemon/pages/pages.h"

namespace pastebin {
namespace {

// If-Range: the Range holds only if the client's copy is this one, named
// by a strong entity tag or by the exact Last-Modified date.
bool IfRangeHolds(std::string_view if_range, const std::string& etag, const PasteRecord& paste) {
  if (if_range.empty()) return true;
  if (if_range.front() == '"') return if_range == etag;
  if (if_range.substr(0, 2) == "W/") return false;  // weak tags never match here
  auto date = ParseHttpDate(if_range);
  return date && *date == paste.created_at;
}

}  // namespace

void AddValidators(StoredPaste& paste) {
  paste.etag = EntityTag(paste.record.content_hash);
  paste.last_modified = FormatHttpDate(paste.record.created_at);
}

std::string CacheControlFor(const PasteRecord& paste, const CachePolicy& policy) {
  int64_t age = policy.max_age;
  if (paste.expires_at) age = std::min(age, std::max<int64_t>(0, *paste.expires_at - policy.now));
  if (age <= 0) return "no-cache";
  // The bytes behind a link never change while it lives: no revalidation
  // on reload (immutable) until max-age runs out. (Made in one piece: a
  // hot GET's every allocation counts.)
  const std::string seconds = std::to_string(age);
  std::string out;
  out.reserve(40 + seconds.size());
  out.append(policy.shared ? "public" : "private").append(", max-age=").append(seconds);
  out.append(", immutable");
  return out;
}

bool AnswerIfNotModified(const HttpRequest& req, const StoredPaste& paste, const std::string& etag,
                         const CachePolicy& policy, HttpResponse& res) {
  const PasteRecord& r = paste.record;
  res.SetHeader("ETag", etag);
  if (paste.last_modified.empty()) {
    res.SetHeader("Last-Modified", FormatHttpDate(r.created_at));
  } else {
    res.SetHeader("Last-Modified", paste.last_modified);
  }
  res.SetHeader("Cache-Control", CacheControlFor(r, policy));
  bool not_modified = false;
  if (req.HasHeader("If-None-Match")) {
    not_modified = NoneMatch(req.HeaderList("If-None-Match"), etag);
  } else if (req.HasHeader("If-Modified-Since")) {
    auto since = ParseHttpDate(req.Header("If-Modified-Since"));
    not_modified = since && r.created_at <= *since;
  }
  if (!not_modified) return false;
  res.status = 304;
  res.body.clear();
  return true;
}

bool AnswerRaw(const HttpRequest& req, const std::shared_ptr<const StoredPaste>& stored,
               const CachePolicy& policy, HttpResponse& res) {
  const StoredPaste& paste = *stored;
  const std::string& body = paste.contents;
  // The paste's tags as the cache made them, else made here.
  std::string made_identity;
  const std::string& identity =
      paste.etag.empty() ? (made_identity = EntityTag(paste.record.content_hash)) : paste.etag;
  RangeRequest range;
  if (req.method == "GET" && req.HasHeader("Range") &&
      IfRangeHolds(req.Header("If-Range"), identity, paste.record)) {
    range = ParseRange(req.Header("Range"), static_cast<int64_t>(body.size()));
  }
  // Ranges are of the bytes as pasted; whole answers may be compressed.
  std::string_view coding;
  std::shared_ptr<const std::string> gzip;
  if (range.kind == RangeRequest::kWhole && !paste.zstd.empty()) {
    std::string accept = req.HeaderList("Accept-Encoding");
    if (AcceptsCoding(accept, "zstd")) {
      coding = "zstd";
    } else if (AcceptsCoding(accept, "gzip") && paste.contents.size() <= kMaxGzipBytes) {
      if (!req.may_block && !paste.Gzipped()) return false;
      gzip = paste.Gzip();
      coding = "gzip";
    }
  }
  res.headers.reserve(res.headers.size() + 10);
  res.SetHeader("Vary", "Accept, Accept-Encoding");
  SetRawHeaders(res);
  res.SetHeader("Accept-Ranges", "bytes");
  std::string coded_etag;
  const std::string& etag =
      coding.empty()
          ? identity
          : (coded_etag = EntityTag(paste.record.content_hash, coding == "zstd" ? ".zst" : ".gz"));
  if (AnswerIfNotModified(req, paste, etag, policy, res)) return true;
  const std::string_view type = "text/plain; charset=utf-8";
  switch (range.kind) {
    case RangeRequest::kUnsatisfiable: {
      std::string size = std::to_string(body.size());
      std::string message = "range not satisfiable: the paste has " + size + " bytes";
      res.SetHeader("Content-Range", "bytes */" + size);
      if (AcceptsHtml(req)) {
        SendErrorAs(req, res, 416, message, Dialect::kText);  // a page
      } else {
        res.status = 416;
        res.SetContent(message + "\n", type);
      }
      return true;
    }
    case RangeRequest::kPart:
      res.status = 206;
      res.SetHeader("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                         std::to_string(range.last) + "/" +
                                         std::to_string(body.size()));
      res.SetContent(body.substr(range.first, range.last - range.first + 1), type);
      return true;
    case RangeRequest::kWhole:
      break;
  }
  res.status = 200;
  if (coding.empty()) {
    res.SetSharedContent(std::shared_ptr<const std::string>(stored, &paste.contents), type);
  } else {
    res.SetHeader("Content-Encoding", coding);
    res.SetSharedContent(
        coding == "zstd" ? std::shared_ptr<const std::string>(stored, &paste.zstd) : gzip, type);
  }
  return true;
}

}  // namespace pastebin
