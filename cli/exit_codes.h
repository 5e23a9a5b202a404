// pastebin's exit statuses, documented in pastebin(1) under EXIT STATUS.
#ifndef PASTEBIN_CLI_EXIT_CODES_H_
#define PASTEBIN_CLI_EXIT_CODES_H_

#include "common/status.h"

namespace pastebin {

enum ExitCode {
  kExitOk = 0,
  kExitFailure = 1,      // a local failure: unreadable file, unwritable output
  kExitUsage = 2,        // bad command line: unknown flag, bad link or duration
  kExitNotFound = 3,     // the paste does not exist or has expired
  kExitUnreachable = 4,  // no pastebin server answered at the address: nothing
                         // there, no answer in time, or another kind of server
  kExitRejected = 5,     // the input or request was refused (not text, too
                         // large, wrong token, rate limited, ...)
  kExitServerError = 6,  // the pastebin server failed (its 5xx error)
};

// The exit status for an error the server reported.
ExitCode ExitCodeForServerError(const Status& status);

}  // namespace pastebin

#endif  // PASTEBIN_CLI_EXIT_CODES_H_
