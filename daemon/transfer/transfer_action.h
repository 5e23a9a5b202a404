// pasted export [FILE] and pasted import [FILE | --from haste DIR --keys
// KEYS | --from wastebin DB]: opens the stores the settings name, as
// pasted would (while it may be serving them), and runs transfer.h.
#ifndef PASTEBIN_DAEMON_TRANSFER_TRANSFER_ACTION_H_
#define PASTEBIN_DAEMON_TRANSFER_TRANSFER_ACTION_H_

#include <string>

#include "daemon/settings.h"

namespace pastebin {

struct TransferRequest {
  std::string action;  // "export" or "import"
  std::string path;    // export: the file to write ("" or "-": stdout);
                       // import: what to read ("" or "-": stdin)
  std::string from;    // import: "pastebin" (an export), "haste" or "wastebin"
  std::string keys;    // import --from haste: haste's log or a list of keys
};

// Exit status: 0 done; 1 failed or left pastes out (each told on stderr,
// then a summary on stdout).
int RunTransfer(const Settings& settings, const TransferRequest& request);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_TRANSFER_TRANSFER_ACTION_H_
