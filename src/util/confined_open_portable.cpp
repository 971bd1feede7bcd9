// Confinement without openat2 (macOS, the BSDs): the path is walked one
// component at a time from the tree's descriptor, each opened with
// O_NOFOLLOW. A host path has no "." or ".." (is_host_path), so the walk
// cannot climb; a symlink anywhere on the path is refused (ELOOP) rather
// than resolved, which is stricter than Linux's RESOLVE_IN_ROOT: a tree with
// symlinks in it is read through them on Linux only.
#include "util/confined_open.h"

#include "util/confined_paths.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace tune {
namespace {

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 1;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// openat that reports a symlink in the way as ELOOP on every system (some
// report ENOTDIR for a symlink opened with O_DIRECTORY | O_NOFOLLOW).
int open_component(int dir_fd, const std::string& name, int flags, unsigned mode) {
  int fd = ::openat(dir_fd, name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd >= 0 || errno != ENOTDIR) return fd;
  struct stat st {};
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) errno = ELOOP;
  else errno = ENOTDIR;
  return -1;
}

}  // namespace

int open_in_root(int root_fd, const std::string& path, int flags, unsigned mode) {
  const std::vector<std::string> parts = components(path);
  if (parts.empty()) return ::openat(root_fd, ".", flags | O_CLOEXEC, mode);
  Fd dir(::dup(root_fd));
  if (!dir.valid()) return -1;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    Fd next(open_component(dir.get(), parts[i], O_RDONLY | O_DIRECTORY, 0));
    if (!next.valid()) return -1;
    dir = std::move(next);
  }
  return open_component(dir.get(), parts.back(), flags, mode);
}

}  // namespace tune
