// The one step of ConfinedPaths that differs between systems: opening a host
// path inside a tree so that nothing leads out of it. Linux has openat2 with
// RESOLVE_IN_ROOT (confined_open_linux.cpp); other Unix systems walk the path
// a component at a time and refuse symlinks (confined_open_portable.cpp).
#pragma once

#include <string>

namespace tune {

// open(2) of host path `path` ("/etc/x", already checked by is_host_path)
// inside the tree open as root_fd. Returns the descriptor, or -1 with errno
// set (EXDEV or ELOOP for a way out of the tree).
int open_in_root(int root_fd, const std::string& path, int flags, unsigned mode);

}  // namespace tune
