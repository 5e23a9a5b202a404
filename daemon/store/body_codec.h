// How paste bodies are stored: zstd-compressed when that saves space (as
// wastebin does), else as they are. A 100 KB build log takes a fraction on
// disk; a short line is not worth a frame header.
#ifndef PASTEBIN_DAEMON_STORE_BODY_CODEC_H_
#define PASTEBIN_DAEMON_STORE_BODY_CODEC_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "daemon/store/metadata_store.h"

namespace pastebin {

// Bodies shorter than this are stored as they are.
constexpr size_t kCompressMinBytes = 512;

struct EncodedBody {
  BodyCodec codec = BodyCodec::kRaw;
  std::string bytes;
};

// body as it should be stored: zstd (level 1 under 64 KiB, else 3) if
// that saves at least a sixteenth, else raw. Never fails (raw is always possible).
EncodedBody EncodeBody(std::string_view body);

// The body back from its stored bytes; kInternal if they are corrupt or
// decode to other than expected_size bytes.
Result<std::string> DecodeBody(BodyCodec codec, std::string_view stored, int64_t expected_size);

// XXH3-128 of body (16 bytes, big-endian): what identifies a paste's bytes
// (its ETag). Not a cryptographic hash, and need not be: an ETag only tells
// one version of one URL from another, and a link's bytes never change
// while it lives. 0.1 us a kilobyte, against 4.5 for SHA-512 here.
std::string ContentDigest(std::string_view body);

// body gzip-compressed (RFC 1952) at zlib's level (1 fastest .. 9 best).
std::string GzipCompress(std::string_view body, int level);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_BODY_CODEC_H_
