// Confinement by the kernel: RESOLVE_IN_ROOT makes the tree act as / for
// every component, symlinks included, and RESOLVE_NO_MAGICLINKS refuses
// /proc/self/fd/N style links, which could name anything.
#include "util/confined_open.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

namespace tune {

int open_in_root(int root_fd, const std::string& path, int flags, unsigned mode) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
}

}  // namespace tune
