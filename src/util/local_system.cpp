#include "util/local_system.h"

#include "util/swap_table.h"
#include "util/text.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace tune {
namespace {

std::string errno_text(int error_number) { return std::strerror(error_number); }

Error io_error(const char* verb, const std::string& path, int error_number) {
  return make_error("{} {}: {}", verb, path, errno_text(error_number));
}

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

Status write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("writing", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status fsync_dir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return io_error("opening directory", dir, errno);
  if (::fsync(fd.get()) != 0) return io_error("syncing directory", dir, errno);
  return {};
}

class FlockHandle final : public LockHandle {
 public:
  explicit FlockHandle(int fd) : fd_(fd) {}
  ~FlockHandle() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};

}  // namespace

LocalSystem::LocalSystem(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  if (root_ == "/") root_.clear();
  services_ = std::make_unique<OfflineServiceManager>(
      root_.empty() ? "no connection to systemd was made" : "a tree given with --root has no running service manager");
}

std::string LocalSystem::host_path(const std::string& path) const { return root_ + path; }

Result<std::string> LocalSystem::read_file(const std::string& path) const {
  const std::string full = host_path(path);
  Fd fd(::open(full.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return io_error("reading", path, errno);
  std::string data;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("reading", path, errno);
    }
    if (n == 0) break;
    data.append(buffer, static_cast<size_t>(n));
  }
  return data;
}

Result<FileInfo> LocalSystem::stat(const std::string& path) const {
  const std::string full = host_path(path);
  struct stat st {};
  FileInfo info;
  if (::lstat(full.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return info;
    return io_error("inspecting", path, errno);
  }
  info.exists = true;
  info.is_symlink = S_ISLNK(st.st_mode);
  info.is_dir = S_ISDIR(st.st_mode);
  info.mode = st.st_mode & 07777;
  info.uid = st.st_uid;
  info.gid = st.st_gid;
  info.size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  return info;
}

Result<std::vector<std::string>> LocalSystem::list_dir(const std::string& path) const {
  const std::string full = host_path(path);
  DIR* dir = ::opendir(full.c_str());
  if (dir == nullptr) return io_error("listing", path, errno);
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

Status LocalSystem::write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) {
  const std::string full = host_path(path);
  struct stat st {};
  if (::lstat(full.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return make_error("refusing to write {}: it is not a regular file", path);
  }
  const std::string dir = parent_dir(full);
  std::string temp = dir + "/.tune-XXXXXX";
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (!fd.valid()) return io_error("creating a temporary file beside", path, errno);
  auto fail = [&](Error error) -> Status {
    ::unlink(temp.c_str());
    return error;
  };
  if (::fchmod(fd.get(), attrs.mode) != 0) return fail(io_error("setting the mode of", path, errno));
  if (attrs.uid || attrs.gid) {
    uid_t uid = attrs.uid ? *attrs.uid : static_cast<uid_t>(-1);
    gid_t gid = attrs.gid ? *attrs.gid : static_cast<gid_t>(-1);
    if (::fchown(fd.get(), uid, gid) != 0) return fail(io_error("setting the owner of", path, errno));
  }
  if (auto written = write_all(fd.get(), data, path); !written) return fail(written.error());
  if (::fsync(fd.get()) != 0) return fail(io_error("syncing", path, errno));
  if (::rename(temp.c_str(), full.c_str()) != 0) return fail(io_error("replacing", path, errno));
  return fsync_dir(dir);
}

Status LocalSystem::write_attribute(const std::string& path, std::string_view data) {
  const std::string full = host_path(path);
  Fd fd(::open(full.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC | (root_.empty() ? 0 : O_TRUNC)));
  if (!fd.valid()) return io_error("opening", path, errno);
  // One write: the kernel parses the whole value at once and answers for it.
  ssize_t n = ::write(fd.get(), data.data(), data.size());
  if (n < 0) return io_error("writing", path, errno);
  if (static_cast<size_t>(n) != data.size()) return make_error("writing {}: the kernel took only {} of {} bytes", path, n, data.size());
  return {};
}

Status LocalSystem::append_durable(const std::string& path, std::string_view data) {
  const std::string full = host_path(path);
  const bool existed = ::access(full.c_str(), F_OK) == 0;
  Fd fd(::open(full.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return io_error("opening", path, errno);
  if (auto written = write_all(fd.get(), data, path); !written) return written;
  if (::fdatasync(fd.get()) != 0) return io_error("syncing", path, errno);
  if (!existed) return fsync_dir(parent_dir(full));
  return {};
}

Status LocalSystem::remove_file(const std::string& path) {
  const std::string full = host_path(path);
  if (::unlink(full.c_str()) != 0 && errno != ENOENT) return io_error("removing", path, errno);
  return fsync_dir(parent_dir(full));
}

Status LocalSystem::make_dirs(const std::string& path, uint32_t mode) {
  const std::string full = host_path(path);
  for (size_t i = root_.size() + 1; i <= full.size(); ++i) {
    if (i != full.size() && full[i] != '/') continue;
    const std::string prefix = full.substr(0, i);
    if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) return io_error("creating directory", prefix, errno);
  }
  return {};
}

Status LocalSystem::remove_empty_dir(const std::string& path) {
  const std::string full = host_path(path);
  if (::rmdir(full.c_str()) != 0) {
    if (errno == ENOENT || errno == ENOTEMPTY || errno == EEXIST) return {};
    return io_error("removing directory", path, errno);
  }
  return fsync_dir(parent_dir(full));
}

Status LocalSystem::allocate_file(const std::string& path, uint64_t size, uint32_t mode) {
  const std::string full = host_path(path);
  Fd fd(::open(full.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd.valid()) return io_error("creating", path, errno);
  auto fail = [&](Error error) -> Status {
    ::unlink(full.c_str());
    return error;
  };
  // The mode asked for, whatever the umask.
  if (::fchmod(fd.get(), mode) != 0) return fail(io_error("setting the mode of", path, errno));
  int allocated = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(size));
  if (allocated == EOPNOTSUPP || allocated == EINVAL) {
    // File systems without fallocate (some network and FUSE ones): write zeros.
    static const std::string kZeros(1 << 20, '\0');
    for (uint64_t left = size; left > 0;) {
      const size_t chunk = static_cast<size_t>(std::min<uint64_t>(left, kZeros.size()));
      if (auto written = write_all(fd.get(), std::string_view(kZeros.data(), chunk), path); !written) {
        return fail(written.error());
      }
      left -= chunk;
    }
  } else if (allocated != 0) {
    return fail(io_error("allocating", path, allocated));
  }
  if (::fsync(fd.get()) != 0) return fail(io_error("syncing", path, errno));
  return fsync_dir(parent_dir(full));
}

Status LocalSystem::write_at(const std::string& path, uint64_t offset, std::string_view data) {
  const std::string full = host_path(path);
  Fd fd(::open(full.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return io_error("opening", path, errno);
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd.get(), data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("writing", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  if (::fsync(fd.get()) != 0) return io_error("syncing", path, errno);
  return {};
}

Status LocalSystem::swap_on(const std::string& path, int priority) {
  if (root_.empty()) {
    int flags = 0;
    if (priority >= 0) flags = SWAP_FLAG_PREFER | ((priority << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
    if (::swapon(path.c_str(), flags) != 0) return io_error("swapon", path, errno);
    return {};
  }
  // A tree: keep the table the kernel would.
  auto table = modelled_swap_on(*this, path, priority);
  if (!table) return table.error();
  TUNE_RETURN_IF_ERROR(make_dirs("/proc", 0755));
  return write_file("/proc/swaps", *table, FileAttrs{0444, std::nullopt, std::nullopt});
}

Status LocalSystem::swap_off(const std::string& path) {
  if (root_.empty()) {
    if (::swapoff(path.c_str()) != 0) return io_error("swapoff", path, errno);
    return {};
  }
  auto table = modelled_swap_off(*this, path);
  if (!table) return table.error();
  return write_file("/proc/swaps", *table, FileAttrs{0444, std::nullopt, std::nullopt});
}

Result<ProcessResult> LocalSystem::run(const std::vector<std::string>& argv) {
  if (argv.empty()) return make_error("running a program: empty argument list");
  if (!root_.empty()) return make_error("cannot run {} on a tree given with --root", argv[0]);
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return io_error("creating a pipe for", argv[0], errno);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return io_error("creating a pipe for", argv[0], errno);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawn_error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ProcessResult result;
  if (spawn_error == 0) {
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_count = 2;
    while (open_count > 0) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        char buffer[4096];
        ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n > 0) {
          sinks[i]->append(buffer, static_cast<size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          fds[i].fd = -1;
          --open_count;
        }
      }
    }
  }
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  if (spawn_error != 0) return make_error("running {}: {}", argv[0], errno_text(spawn_error));
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) return io_error("waiting for", argv[0], errno);
  }
  result.exit_code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  return result;
}

Result<std::unique_ptr<LockHandle>> LocalSystem::try_lock(const std::string& path) {
  const std::string full = host_path(path);
  int fd = ::open(full.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("opening lock", path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int error_number = errno;
    char buffer[32] = {};
    ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    ::close(fd);
    if (error_number == EWOULDBLOCK) {
      std::string holder = n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "unknown";
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      return make_error("another tune is changing this host (pid {}, lock {})", holder, path);
    }
    return io_error("locking", path, error_number);
  }
  // Record who holds it, so the next one can say.
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    if (::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
      // The pid is only a courtesy for the message above; the lock holds regardless.
    }
  }
  return std::unique_ptr<LockHandle>(new FlockHandle(fd));
}

bool LocalSystem::may_change_host() const { return !root_.empty() || ::geteuid() == 0; }

std::string LocalSystem::describe() const { return root_.empty() ? std::string("/") : root_; }

}  // namespace tune
