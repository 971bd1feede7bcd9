// The system log, for what tune does unattended (the package's hooks): the
// systemd journal where its socket exists, else syslog(3). Neither may make a
// command fail: a chroot or a container with no log at all loses the line
// there, and the caller has printed it on stderr too.
#pragma once

#include <string>

namespace tune::cli {

enum class LogLevel { Info, Warning, Error };

// One line under SYSLOG_IDENTIFIER=tune. `topic` becomes the journal field
// TUNE_HOOK (post-install, pre-remove), so `journalctl TUNE_HOOK=pre-remove`
// finds a hook's lines.
void system_log(LogLevel level, const std::string& topic, const std::string& message);

}  // namespace tune::cli
