// The limits systemd's manager gives the services it starts: DefaultLimitX=
// in system.conf and its drop-ins, else systemd's own default (NOFILE) or
// what PID 1 runs with, which services inherit. Login sessions start from a
// service (sshd, getty), so these are also what pam_limits starts from.
#pragma once

#include "platform/linux/config_files.h"
#include "platform/linux/limit_table.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kManagerDropInDir = "/etc/systemd/system.conf.d";
inline constexpr const char* kPid1Limits = "/proc/1/limits";

// One `Key=value` line of a [Manager] section, with its line number.
struct ManagerDirective {
  std::string key;
  std::string value;
  int line = 0;
};
// The directives of the [Manager] sections of one system.conf-style text, in order.
std::vector<ManagerDirective> manager_directives(const std::string& text);

// The first system.conf found (/etc first), and system.conf.d/*.conf with /etc
// shadowing /run, /usr/local/lib and /usr/lib.
Result<ConfigSet> manager_config(const System& system);

// A limit as the manager gives it, and where that comes from: "file:line",
// kBuiltinDefault, kPid1Limits; empty when tune cannot tell (value unknown).
struct ManagerLimit {
  RlimPair value;
  std::string from;
};

inline constexpr const char* kBuiltinDefault = "systemd's built-in default";

// /proc/PID/limits by limit name ("nofile"), in the kernel's units.
std::map<std::string, RlimPair> parse_proc_limits(const std::string& text);

// Every limit that has a directive, by name. pid1_limits is the text of
// /proc/1/limits (empty when unreadable); nr_open caps the built-in NOFILE.
std::map<std::string, ManagerLimit> manager_limits(const ConfigSet& config, const std::string& pid1_limits,
                                                   std::optional<unsigned long long> nr_open);

}  // namespace tune::linux_platform
