// The macOS programs the backend reads and changes settings through, by
// absolute path (never a shell, never $PATH), and one way to run them.
#pragma once

#include "util/system.h"

#include <string>
#include <vector>

namespace tune::macos_platform {

inline constexpr const char* kSysctl = "/usr/sbin/sysctl";
inline constexpr const char* kPmset = "/usr/bin/pmset";
inline constexpr const char* kLaunchctl = "/bin/launchctl";

// Runs argv and returns its standard output. A program that cannot start, or
// exits non-zero, is an error of one line: the command and the first line
// it printed on standard error ("sysctl -w kern.maxfiles=1: Invalid argument").
// read_program is for programs that only read (System::query: a dry run
// runs them too); run_program for those that change a setting.
Result<std::string> read_program(const System& system, const std::vector<std::string>& argv);
Status run_program(System& system, const std::vector<std::string>& argv);

}  // namespace tune::macos_platform
