// HostFacts of a Windows machine, read through the WindowsApi door (the
// Win32 API on Windows, a recorded host in tests) instead of /proc and /sys.
#pragma once

#include "core/facts.h"
#include "util/windows_api.h"

namespace tune {

// Every fact the door cannot give stays unknown; only a failing machine()
// call is an error.
Result<HostFacts> detect_windows_host(const WindowsApi& api);

// What names this Windows machine: its name, MachineGuid and build.
HostIdentity detect_windows_identity(const WindowsApi& api);

}  // namespace tune
