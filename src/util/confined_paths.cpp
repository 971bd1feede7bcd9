#include "util/confined_paths.h"

#include "util/confined_open.h"
#include "util/posix_door.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tune {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

bool is_host_path(const std::string& path) {
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) return false;
  // No "." or ".." component: a host path names one place as written.
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string part = path.substr(start, end - start);
    if (part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

std::string open_failure(int error_number) {
  if (error_number == EXDEV || error_number == ELOOP) {
    return TUNE_LINUX_DOOR ? "it leads out of the tree, or through a magic link"
                           : "it leads out of the tree, or through a symlink (not followed under a root here)";
  }
  if (error_number == ENOSYS) return "this kernel has no openat2 (Linux 5.6), which --root needs";
  if (error_number == EINVAL) return "not an absolute path without . or .. in it";
  return std::strerror(error_number);
}

ConfinedPaths::ConfinedPaths(const std::string& root) {
  if (root.empty()) return;
  root_ = Fd(::open(root.c_str(), posix_door::kPathOnly | O_DIRECTORY | O_CLOEXEC));
}

Opened ConfinedPaths::open(const std::string& path, int flags, unsigned mode) const {
  Opened opened;
  if (!is_host_path(path)) {
    opened.error = EINVAL;
    return opened;
  }
  if (!root_.valid()) {
    opened.fd = Fd(::open(path.c_str(), flags | O_CLOEXEC, mode));
    if (!opened.ok()) opened.error = errno;
    return opened;
  }
  const int fd = open_in_root(root_.get(), path, flags, mode);
  if (fd < 0) opened.error = errno;
  else opened.fd = Fd(fd);
  return opened;
}

Opened ConfinedPaths::open_parent(const std::string& path, std::string& name) const {
  if (!is_host_path(path) || path == "/") return Opened{Fd(), EINVAL};
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  const auto slash = trimmed.find_last_of('/');
  name = trimmed.substr(slash + 1);
  return open(slash == 0 ? "/" : trimmed.substr(0, slash), O_RDONLY | O_DIRECTORY);
}

}  // namespace tune
