// A backup of a single node's data dir (store sqlite), taken while pasted
// serves, and its restore into a new data dir (pasted backup, pasted
// restore).
//
// A backup is a directory laid out as a data dir — pastes.db, the large
// bodies under content/, access.log, admin.token — plus BACKUP, a manifest
// (JSON: format "pasted-backup", version 1, created_at, pastes, files,
// bytes). The database is copied as of one moment with SQLite's online
// backup API (writers go on meanwhile); then every large body its rows name
// is copied. A paste deleted between the two (its file gone) is left out of
// the backup, so the copy never holds a row without its body. Everything
// is written under DEST.partial and fsync'd, then renamed to DEST: a DEST
// that exists is whole.
#ifndef PASTEBIN_DAEMON_STORE_SQLITE_DATA_DIR_BACKUP_H_
#define PASTEBIN_DAEMON_STORE_SQLITE_DATA_DIR_BACKUP_H_

#include <cstdint>
#include <string>

#include "common/status.h"
#include "daemon/store/stores.h"

namespace pastebin {

// Backs up data_dir (its pastes.db must exist) into dest, which must not
// exist yet. Errors name the path and what to do.
Result<BackupSummary> BackupDataDir(const std::string& data_dir, const std::string& dest);

// Checks the backup at src (its manifest, the database's integrity, every
// body its rows name) and copies it into data_dir, which must hold no
// pastes.db and no running pasted. Errors name the path and what to do.
Result<BackupSummary> RestoreDataDir(const std::string& src, const std::string& data_dir);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_STORE_SQLITE_DATA_DIR_BACKUP_H_
