// How paste bodies are stored: zstd-compressed when that saves space (as
// wastebin does), else as they are. A 100 KB build log takes a fraction on
// disk; a short line is not worth a frame header.
#ifndef PASTEBIN_DAEMON_BODY_CODEC_H_
#define PASTEBIN_DAEMON_BODY_CODEC_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "daemon/metadata_store.h"

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

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_BODY_CODEC_H_
