#include "cli/system_log.h"

#if defined(_WIN32)
#include <cstdio>

namespace tune::cli {

// No journald or syslog on Windows: the package hooks' lines go to stderr,
// where the installer that ran them keeps its log.
void system_log(LogLevel level, const std::string& topic, const std::string& message) {
  const char* label = level == LogLevel::Error ? "error" : level == LogLevel::Warning ? "warning" : "info";
  std::fprintf(stderr, "tune: %s: %s: %s\n", label, topic.c_str(), message.c_str());
}

}  // namespace tune::cli
#else
#if defined(TUNE_WITH_SYSTEMD)
#include <systemd/sd-journal.h>
#endif

#include <sys/stat.h>
#include <syslog.h>

namespace tune::cli {
namespace {

#if defined(TUNE_WITH_SYSTEMD)
// Where journald listens; sd_journal_send to a missing socket fails quietly,
// and then syslog is the only log there is.
constexpr const char* kJournalSocket = "/run/systemd/journal/socket";
#endif

int priority(LogLevel level) {
  switch (level) {
    case LogLevel::Info: return LOG_INFO;
    case LogLevel::Warning: return LOG_WARNING;
    case LogLevel::Error: return LOG_ERR;
  }
  return LOG_INFO;
}

}  // namespace

void system_log(LogLevel level, const std::string& topic, const std::string& message) {
#if defined(TUNE_WITH_SYSTEMD)
  struct stat socket_info {};
  if (::stat(kJournalSocket, &socket_info) == 0 && S_ISSOCK(socket_info.st_mode)) {
    const int sent = sd_journal_send("MESSAGE=%s", message.c_str(), "PRIORITY=%i", priority(level),
                                     "SYSLOG_IDENTIFIER=tune", "TUNE_HOOK=%s", topic.c_str(), nullptr);
    if (sent >= 0) return;
  }
#endif
  // Without journald (macOS, or a Linux host without systemd) syslog(3) is
  // the log; it drops the line itself when /dev/log is absent.
  ::openlog("tune", LOG_PID, LOG_DAEMON);
  ::syslog(priority(level), "%s: %s", topic.c_str(), message.c_str());
  ::closelog();
}

}  // namespace tune::cli
#endif
