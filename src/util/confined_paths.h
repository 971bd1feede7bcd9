// ConfinedPaths: how LocalSystem opens a host path. On the real host a path
// is opened as it is; under a root (--root DIR, tests) every component is
// resolved inside the tree: a symlink, absolute or with "..", can never lead
// out of it (openat2's RESOLVE_IN_ROOT, the tree acting as /), and magic
// links (/proc/self/fd/N) are not followed. Off Linux a tree's symlinks are
// not followed at all (util/confined_open.h). Every operation LocalSystem makes
// goes through these two calls, so no string join reaches the file system.
#pragma once

#include <string>

namespace tune {

// Closes a descriptor on every path out of a function; movable.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// An open descriptor, or the errno of the failure.
struct Opened {
  Fd fd;
  int error = 0;
  bool ok() const { return fd.valid(); }
};

class ConfinedPaths {
 public:
  // An empty root is the real host.
  explicit ConfinedPaths(const std::string& root);

  // open(2) of a host path ("/etc/x"). A path that is not one ("etc/x",
  // "/a/../b") fails with EINVAL; one that would leave the tree with EXDEV.
  Opened open(const std::string& path, int flags, unsigned mode = 0) const;
  // The directory that holds path, open for *at() calls and fsync, and the
  // name within it. "/" has no parent (EINVAL).
  Opened open_parent(const std::string& path, std::string& name) const;

 private:
  Fd root_;  // the tree, when there is one
};

// "/etc/sysctl.d/x.conf" is a host path; "etc/x", "", "/a/../b" are not.
bool is_host_path(const std::string& path);

// What an open failure means, for messages: the escape and the missing
// openat2 in words, the rest as strerror.
std::string open_failure(int error_number);

}  // namespace tune
