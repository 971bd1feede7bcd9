// Which platform's knobs and planners serve a host: chosen by the OS family
// of its facts, so a plan for a Mac or a Windows machine is made (and tested)
// on any host, while applying uses the platform tune was built for.
#pragma once

#include "core/planner.h"

#include <string>

namespace tune {

// "linux", "macos" or "windows": the OS this build of tune runs on.
std::string native_os();

// The platform of an OS family as profile_host's os_family() names it; an
// empty or unknown family is Linux's (facts read from a Linux tree carry no
// other).
const Platform& platform_for(const std::string& os_family);

}  // namespace tune
