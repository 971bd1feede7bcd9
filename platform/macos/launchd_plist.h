// The launchd property lists tune owns: a job that runs one program once at
// load (RunAtLoad), which is how macOS settings that do not persist by
// themselves (sysctl values, launchd limits, launchctl setenv) are made to
// hold after a reboot. /etc/launchd.conf and /etc/sysctl.conf are not read by
// modern macOS (launchd.conf since OS X 10.10), so a LaunchDaemon is the way.
#pragma once

#include <string>
#include <vector>

namespace tune::macos_platform {

inline constexpr const char* kLaunchDaemons = "/Library/LaunchDaemons";
inline constexpr const char* kLaunchAgents = "/Library/LaunchAgents";

// The files tune writes on a Mac; any other path in a saved plan or a
// journal is refused by the file knob.
inline constexpr const char* kSysctlPlist = "/Library/LaunchDaemons/dev.tune.sysctl.plist";
inline constexpr const char* kMaxfilesPlist = "/Library/LaunchDaemons/limit.maxfiles.plist";
inline constexpr const char* kMaxprocPlist = "/Library/LaunchDaemons/limit.maxproc.plist";
// A job from a template: /Library/LaunchDaemons/LABEL.plist (launchd_job_knob.h).
// One LaunchAgent per environment variable: dev.tune.environment.NAME.plist.
inline constexpr const char* kEnvironmentPlistPrefix = "/Library/LaunchAgents/dev.tune.environment.";

bool macos_owned_file(const std::string& path);

// A plist whose job `label` runs `program` once each time launchd loads it
// (at boot for a LaunchDaemon, at each login for a LaunchAgent). `why` goes
// into an XML comment, with the profile, so a reader knows who wrote it.
std::string run_at_load_plist(const std::string& label, const std::vector<std::string>& program,
                              const std::string& profile, const std::string& why);

// Text escaped for XML character data.
std::string xml_escaped(const std::string& text);

}  // namespace tune::macos_platform
