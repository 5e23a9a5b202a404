#include "daemon/http/http_caching.h"

#include <zlib.h>

#include <catch2/catch.hpp>

#include "daemon/front/paste_answer.h"
#include "daemon/store/body_codec.h"

namespace pastebin {
namespace {

// The RFC 9110 §5.6.7 example instant, 1994-11-06 08:49:37 UTC.
constexpr int64_t kExample = 784111777;

std::string Gunzip(const std::string& gz) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&z, Z_FINISH);
  out.resize(out.size() - z.avail_out);
  inflateEnd(&z);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

TEST_CASE("HTTP dates are written as IMF-fixdate and read in all three forms") {
  CHECK(FormatHttpDate(kExample) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT") == kExample);
  CHECK(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT") == kExample);
  CHECK(ParseHttpDate("Sun Nov  6 08:49:37 1994") == kExample);
  CHECK(ParseHttpDate(FormatHttpDate(1800000000)) == 1800000000);
  // Not dates: a day that does not exist, other zones, junk, the wrong day
  // name's length.
  CHECK(!ParseHttpDate("Sun, 31 Feb 1994 08:49:37 GMT"));
  CHECK(!ParseHttpDate("Sun, 06 Nov 1994 08:49:37 UTC"));
  CHECK(!ParseHttpDate("yesterday"));
  CHECK(!ParseHttpDate(""));
  CHECK(!ParseHttpDate("Sun, 06 Nov 1994 25:49:37 GMT"));
}

TEST_CASE("If-None-Match matches by weak comparison, in a list, or with *") {
  const std::string tag = "\"0123abcd\"";
  CHECK(NoneMatch(tag, tag));
  CHECK(NoneMatch("\"x\", " + tag, tag));
  CHECK(NoneMatch("W/" + tag, tag));
  CHECK(NoneMatch("*", tag));
  CHECK_FALSE(NoneMatch("\"0123abcd.gz\"", tag));
  CHECK_FALSE(NoneMatch("", tag));
  CHECK_FALSE(NoneMatch("0123abcd", tag));  // unquoted is another tag
}

TEST_CASE("Accept-Encoding is read with q-values, names winning over *") {
  CHECK(AcceptsCoding("gzip, deflate, br, zstd", "zstd"));
  CHECK(AcceptsCoding("gzip, deflate, br, zstd", "gzip"));
  CHECK(AcceptsCoding("GZip", "gzip"));
  CHECK_FALSE(AcceptsCoding("gzip, deflate", "zstd"));
  CHECK_FALSE(AcceptsCoding("", "gzip"));
  CHECK_FALSE(AcceptsCoding("gzip;q=0", "gzip"));
  CHECK_FALSE(AcceptsCoding("gzip ; q=0.000", "gzip"));
  CHECK(AcceptsCoding("gzip;q=0.001", "gzip"));
  CHECK(AcceptsCoding("*;q=0.5", "zstd"));
  CHECK_FALSE(AcceptsCoding("zstd;q=0, *", "zstd"));
  CHECK_FALSE(AcceptsCoding("*;q=0", "gzip"));
  CHECK_FALSE(AcceptsCoding("gzip;q=2", "gzip"));  // not a q-value
  CHECK_FALSE(AcceptsCoding("gzipper", "gzip"));
}

TEST_CASE("a Range asks for one span of bytes, clamped to the body") {
  auto part = [](std::string_view r, int64_t size) {
    RangeRequest got = ParseRange(r, size);
    return got.kind == RangeRequest::kPart
               ? std::to_string(got.first) + "-" + std::to_string(got.last)
           : got.kind == RangeRequest::kWhole ? std::string("whole")
                                              : std::string("416");
  };
  CHECK(part("bytes=0-9", 100) == "0-9");
  CHECK(part("bytes=90-", 100) == "90-99");
  CHECK(part("bytes=90-1000", 100) == "90-99");
  CHECK(part("bytes=-5", 100) == "95-99");
  CHECK(part("bytes=-500", 100) == "0-99");
  CHECK(part("Bytes=3-4", 100) == "3-4");
  CHECK(part("bytes = 3-4", 100) == "whole");
  CHECK(part("bytes=100-", 100) == "416");
  CHECK(part("bytes=-0", 100) == "416");
  CHECK(part("bytes=0-", 0) == "416");
  // Ignored: several ranges, other units, nonsense.
  CHECK(part("bytes=0-1,5-6", 100) == "whole");
  CHECK(part("items=0-1", 100) == "whole");
  CHECK(part("bytes=5-2", 100) == "whole");
  CHECK(part("bytes=x-2", 100) == "whole");
  CHECK(part("bytes=-", 100) == "whole");
  CHECK(part("bytes=99999999999999999999-", 100) == "whole");
}

TEST_CASE("gzip output is a gzip stream of the body") {
  std::string log;
  for (int i = 0; i < 2000; ++i) log += "line " + std::to_string(i % 17) + ": all is well\n";
  for (int level : {1, 6}) {
    std::string gz = GzipCompress(log, level);
    CHECK(gz.size() < log.size() / 4);
    CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
    CHECK(Gunzip(gz) == log);
  }
  CHECK(Gunzip(GzipCompress("", 6)).empty());
}

TEST_CASE("the content digest tells bodies apart and makes a quoted tag") {
  std::string a = ContentDigest("hello\n"), b = ContentDigest("hello");
  CHECK(a.size() == 16);
  CHECK(a != b);
  CHECK(ContentDigest("hello\n") == a);
  // XXH3-128 of "abc", as xxhsum -H2 prints it.
  CHECK(EntityTag(ContentDigest("abc")) == "\"06b05ab6733a618578af5f94892f3950\"");
  CHECK(EntityTag(ContentDigest("abc"), ".gz").size() == 1 + 32 + 3 + 1);
}

TEST_CASE("max-age never outlives the paste") {
  PasteRecord forever;
  CHECK(CacheControlFor(forever, {1000, 3600}) == "public, max-age=3600, immutable");
  CHECK(CacheControlFor(forever, {1000, 0}) == "no-cache");
  PasteRecord brief;
  brief.expires_at = 1600;
  CHECK(CacheControlFor(brief, {1000, 3600}) == "public, max-age=600, immutable");
  CHECK(CacheControlFor(brief, {1000, 60}) == "public, max-age=60, immutable");
  CHECK(CacheControlFor(brief, {1600, 3600}) == "no-cache");
}

}  // namespace
}  // namespace pastebin
