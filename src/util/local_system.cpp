#include "util/local_system.h"

#include "util/swap_table.h"
#include "util/nic_settings.h"
#include "util/confined_paths.h"
#include "util/posix_door.h"
#include "util/text.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

#if TUNE_LINUX_DOOR
#include "util/ethtool_ioctl.h"

#include <sys/swap.h>
#endif

extern char** environ;

namespace tune {
namespace {

std::string errno_text(int error_number) { return std::strerror(error_number); }

Error io_error(const char* verb, const std::string& path, int error_number) {
  return make_error("{} {}: {}", verb, path, errno_text(error_number));
}

// An open through the confined paths failed: the escape in words.
Error failed(const char* verb, const std::string& path, int error_number) {
  return make_error("{} {}: {}", verb, path, open_failure(error_number));
}

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

Status fsync_dir(int dirfd, const std::string& path) {
  if (::fsync(dirfd) != 0) return io_error("syncing the directory of", path, errno);
  return {};
}

// Reading is bounded: a host file tune reads is a small text, and a FIFO or
// an endless file must not hang or exhaust it.
constexpr size_t kMaxRead = 64u << 20;

// A temporary file tune made beside a file it replaced: ".tune-" and six or
// eight letters and digits. A crash between its fsync and its rename leaves
// one behind; the next write into that directory takes it away.
bool is_tune_temporary(const std::string& name) {
  if (!starts_with(name, ".tune-") || (name.size() != 12 && name.size() != 14)) return false;
  return std::all_of(name.begin() + 6, name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

void remove_stale_temporaries(int dirfd) {
  int copy = ::dup(dirfd);
  if (copy < 0) return;
  DIR* dir = ::fdopendir(copy);
  if (dir == nullptr) {
    ::close(copy);
    return;
  }
  std::vector<std::string> stale;
  while (dirent* entry = ::readdir(dir)) {
    if (is_tune_temporary(entry->d_name)) stale.emplace_back(entry->d_name);
  }
  ::closedir(dir);
  for (const auto& name : stale) ::unlinkat(dirfd, name.c_str(), 0);
}

// Test-only: stop inside a file write so a test can kill -9 tune there.
// TUNE_TEST_PAUSE_IN_WRITE=PHASE:PATH, PHASE before-fsync or before-rename.
void fault_point_in_write(const char* phase, const std::string& path) {
#ifdef TUNE_FAULT_POINTS
  const char* where = std::getenv("TUNE_TEST_PAUSE_IN_WRITE");
  if (where == nullptr || std::string(where) != std::string(phase) + ":" + path) return;
  if (const char* marker = std::getenv("TUNE_TEST_PAUSE_FILE")) {
    const std::string pid = std::to_string(::getpid()) + "\n";
    int fd = ::open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      if (::write(fd, pid.data(), pid.size()) < 0) {
        // the marker only tells the test we are here; it waits for it either way
      }
      ::close(fd);
    }
  }
  for (;;) ::pause();
#else
  (void)phase;
  (void)path;
#endif
}

// A name for a temporary file beside the one it replaces.
std::string temporary_name() {
  static const char kLetters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::string name = ".tune-";
  for (int i = 0; i < 8; ++i) name += kLetters[random() % (sizeof kLetters - 1)];
  return name;
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

namespace {
std::string without_trailing_slashes(std::string root) {
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return root == "/" ? "" : root;
}
}  // namespace

LocalSystem::LocalSystem(std::string root) : root_(without_trailing_slashes(std::move(root))), paths_(root_) {
  services_ = std::make_unique<OfflineServiceManager>(
      root_.empty() ? "no connection to systemd was made" : "a tree given with --root has no running service manager");
}

Result<std::string> LocalSystem::read_file(const std::string& path) const {
  Opened fd = paths_.open(path, O_RDONLY | O_NONBLOCK);
  if (!fd.ok()) return failed("reading", path, fd.error);
  struct stat st {};
  if (::fstat(fd.fd.get(), &st) != 0) return io_error("reading", path, errno);
  if (!S_ISREG(st.st_mode)) return make_error("reading {}: not a regular file", path);
  std::string data;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd.fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("reading", path, errno);
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > kMaxRead) return make_error("reading {}: larger than 64 MiB", path);
    data.append(buffer, static_cast<size_t>(n));
  }
  return data;
}

Result<FileInfo> LocalSystem::stat(const std::string& path) const {
  FileInfo info;
  struct stat st {};
  if (path == "/") {
    Opened root = paths_.open("/", posix_door::kPathOnly | O_DIRECTORY);
    if (!root.ok()) return failed("inspecting", path, root.error);
    if (::fstat(root.fd.get(), &st) != 0) return io_error("inspecting", path, errno);
  } else {
    std::string name;
    Opened dir = paths_.open_parent(path, name);
    if (!dir.ok()) {
      // No parent directory: nothing is there, which is not an error.
      if (dir.error == ENOENT || dir.error == ENOTDIR) return info;
      return failed("inspecting", path, dir.error);
    }
    if (::fstatat(dir.fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return info;
      return io_error("inspecting", path, errno);
    }
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

Result<std::optional<std::string>> LocalSystem::read_link(const std::string& path) const {
  std::string name;
  Opened dir = paths_.open_parent(path, name);
  if (!dir.ok()) {
    if (dir.error == ENOENT || dir.error == ENOTDIR) return std::optional<std::string>();
    return failed("reading the link", path, dir.error);
  }
  char buffer[4096];
  const ssize_t n = ::readlinkat(dir.fd.get(), name.c_str(), buffer, sizeof buffer);
  if (n < 0) {
    // EINVAL: there, but not a link.
    if (errno == EINVAL || errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    return io_error("reading the link", path, errno);
  }
  if (static_cast<size_t>(n) >= sizeof buffer) return make_error("reading the link {}: its target is too long", path);
  return std::optional<std::string>(std::string(buffer, static_cast<size_t>(n)));
}

Result<std::vector<std::string>> LocalSystem::list_dir(const std::string& path) const {
  Opened fd = paths_.open(path, O_RDONLY | O_DIRECTORY);
  if (!fd.ok()) return failed("listing", path, fd.error);
  DIR* dir = ::fdopendir(fd.fd.get());
  if (dir == nullptr) return io_error("listing", path, errno);
  fd.fd.release();
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
  std::string name;
  Opened dir = paths_.open_parent(path, name);
  if (!dir.ok()) return failed("writing", path, dir.error);
  struct stat st {};
  if (::fstatat(dir.fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
    return make_error("refusing to write {}: it is not a regular file", path);
  }
  remove_stale_temporaries(dir.fd.get());
  const std::string temp = temporary_name();
  Fd fd(::openat(dir.fd.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return io_error("creating a temporary file beside", path, errno);
  auto fail = [&](Error error) -> Status {
    ::unlinkat(dir.fd.get(), temp.c_str(), 0);
    return error;
  };
  if (::fchmod(fd.get(), attrs.mode) != 0) return fail(io_error("setting the mode of", path, errno));
  if (attrs.uid || attrs.gid) {
    uid_t uid = attrs.uid ? *attrs.uid : static_cast<uid_t>(-1);
    gid_t gid = attrs.gid ? *attrs.gid : static_cast<gid_t>(-1);
    if (::fchown(fd.get(), uid, gid) != 0) return fail(io_error("setting the owner of", path, errno));
  }
  if (auto written = write_all(fd.get(), data, path); !written) return fail(written.error());
  fault_point_in_write("before-fsync", path);
  if (::fsync(fd.get()) != 0) return fail(io_error("syncing", path, errno));
  fault_point_in_write("before-rename", path);
  if (::renameat(dir.fd.get(), temp.c_str(), dir.fd.get(), name.c_str()) != 0) return fail(io_error("replacing", path, errno));
  return fsync_dir(dir.fd.get(), path);
}

Status LocalSystem::write_attribute(const std::string& path, std::string_view data) {
  Opened fd = paths_.open(path, O_WRONLY | O_NOFOLLOW | (root_.empty() ? 0 : O_TRUNC));
  if (!fd.ok()) return failed("opening", path, fd.error);
  // One write: the kernel parses the whole value at once and answers for it.
  ssize_t n = ::write(fd.fd.get(), data.data(), data.size());
  if (n < 0) return io_error("writing", path, errno);
  if (static_cast<size_t>(n) != data.size()) return make_error("writing {}: the kernel took only {} of {} bytes", path, n, data.size());
  return {};
}

Status LocalSystem::append_durable(const std::string& path, std::string_view data) {
  std::string name;
  Opened dir = paths_.open_parent(path, name);
  if (!dir.ok()) return failed("opening", path, dir.error);
  struct stat st {};
  const bool existed = ::fstatat(dir.fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
  Fd fd(::openat(dir.fd.get(), name.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return io_error("opening", path, errno);
  if (auto written = write_all(fd.get(), data, path); !written) return written;
  if (posix_door::sync_data(fd.get()) != 0) return io_error("syncing", path, errno);
  if (!existed) return fsync_dir(dir.fd.get(), path);
  return {};
}

Status LocalSystem::remove_file(const std::string& path) {
  std::string name;
  Opened dir = paths_.open_parent(path, name);
  if (!dir.ok()) {
    if (dir.error == ENOENT) return {};  // nothing there to remove
    return failed("removing", path, dir.error);
  }
  if (::unlinkat(dir.fd.get(), name.c_str(), 0) != 0 && errno != ENOENT) return io_error("removing", path, errno);
  remove_stale_temporaries(dir.fd.get());  // what a crash in an earlier write left beside it
  return fsync_dir(dir.fd.get(), path);
}

Status LocalSystem::make_dirs(const std::string& path, uint32_t mode) {
  if (!is_host_path(path)) return make_error("'{}' is not an absolute path without . or .. in it", path);
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i != path.size() && path[i] != '/') continue;
    const std::string prefix = path.substr(0, i);
    if (prefix.empty() || prefix.back() == '/') continue;
    std::string name;
    Opened dir = paths_.open_parent(prefix, name);
    if (!dir.ok()) return failed("creating directory", prefix, dir.error);
    if (::mkdirat(dir.fd.get(), name.c_str(), mode) != 0 && errno != EEXIST) {
      return io_error("creating directory", prefix, errno);
    }
  }
  return {};
}

Status LocalSystem::remove_empty_dir(const std::string& path) {
  std::string name;
  Opened dir = paths_.open_parent(path, name);
  if (!dir.ok()) return {};
  if (::unlinkat(dir.fd.get(), name.c_str(), AT_REMOVEDIR) != 0) {
    if (errno == ENOENT || errno == ENOTEMPTY || errno == EEXIST) return {};
    return io_error("removing directory", path, errno);
  }
  return fsync_dir(dir.fd.get(), path);
}

Status LocalSystem::allocate_file(const std::string& path, uint64_t size, uint32_t mode) {
  std::string name;
  Opened dir = paths_.open_parent(path, name);
  if (!dir.ok()) return failed("creating", path, dir.error);
  Fd fd(::openat(dir.fd.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd.valid()) return io_error("creating", path, errno);
  auto fail = [&](Error error) -> Status {
    ::unlinkat(dir.fd.get(), name.c_str(), 0);
    return error;
  };
  // The mode asked for, whatever the umask.
  if (::fchmod(fd.get(), mode) != 0) return fail(io_error("setting the mode of", path, errno));
  int allocated = posix_door::allocate_space(fd.get(), static_cast<off_t>(size));
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
  return fsync_dir(dir.fd.get(), path);
}

Status LocalSystem::write_at(const std::string& path, uint64_t offset, std::string_view data) {
  Opened fd = paths_.open(path, O_WRONLY | O_NOFOLLOW);
  if (!fd.ok()) return failed("opening", path, fd.error);
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd.fd.get(), data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("writing", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  if (::fsync(fd.fd.get()) != 0) return io_error("syncing", path, errno);
  return {};
}

namespace {

// Swap files and NIC settings of the real host are Linux calls; elsewhere
// only the Linux backend plans them, so reaching one is refused in a line.
#if TUNE_LINUX_DOOR
Status host_swap_on(const std::string& path, int priority) {
  int flags = 0;
  if (priority >= 0) flags = SWAP_FLAG_PREFER | ((priority << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
  if (::swapon(path.c_str(), flags) != 0) return io_error("swapon", path, errno);
  return {};
}
Status host_swap_off(const std::string& path) {
  if (::swapoff(path.c_str()) != 0) return io_error("swapoff", path, errno);
  return {};
}
Result<std::string> host_read_nic(const std::string& interface, const std::string& group) {
  return ethtool_read_group(interface, group);
}
Status host_write_nic(const std::string& interface, const std::string& group, std::string_view changes) {
  return ethtool_write_group(interface, group, changes);
}
#else
Error linux_only(const std::string& what) { return Error{what + ": a Linux call, not made on this system"}; }
Status host_swap_on(const std::string& path, int) { return linux_only("swapon " + path); }
Status host_swap_off(const std::string& path) { return linux_only("swapoff " + path); }
Result<std::string> host_read_nic(const std::string& interface, const std::string& group) {
  return linux_only("ethtool " + interface + " " + group);
}
Status host_write_nic(const std::string& interface, const std::string& group, std::string_view) {
  return linux_only("ethtool " + interface + " " + group);
}
#endif

}  // namespace

Status LocalSystem::swap_on(const std::string& path, int priority) {
  if (root_.empty()) return host_swap_on(path, priority);
  // A tree: keep the table the kernel would.
  auto table = modelled_swap_on(*this, path, priority);
  if (!table) return table.error();
  TUNE_RETURN_IF_ERROR(make_dirs("/proc", 0755));
  return write_file("/proc/swaps", *table, FileAttrs{0444, std::nullopt, std::nullopt});
}

Status LocalSystem::swap_off(const std::string& path) {
  if (root_.empty()) return host_swap_off(path);
  auto table = modelled_swap_off(*this, path);
  if (!table) return table.error();
  return write_file("/proc/swaps", *table, FileAttrs{0444, std::nullopt, std::nullopt});
}

Result<std::string> LocalSystem::read_nic(const std::string& interface, const std::string& group) const {
  if (root_.empty()) return host_read_nic(interface, group);
  // A tree keeps each group as a file of its text (util/nic_settings.h); a
  // group without a file is one the driver does not implement.
  if (!valid_interface_name(interface) || !is_nic_group(group)) {
    return make_error("ethtool: '{}' '{}' is not an interface and settings group", printable_line(interface),
                      printable_line(group));
  }
  auto device = stat("/sys/class/net/" + interface);
  if (!device) return device.error();
  if (!device->exists) return make_error("ethtool {} {}: No such device", interface, group);
  auto state = stat(nic_state_path(interface, group));
  if (!state) return state.error();
  if (!state->exists) return std::string();
  return read_file(nic_state_path(interface, group));
}

Status LocalSystem::write_nic(const std::string& interface, const std::string& group, std::string_view changes) {
  if (root_.empty()) return host_write_nic(interface, group, changes);
  auto current = read_nic(interface, group);
  if (!current) return current.error();
  auto merged = merge_nic_settings(*current, changes, "ethtool " + interface);
  if (!merged) return merged.error();
  auto info = stat(nic_state_path(interface, group));
  if (!info) return info.error();
  return write_file(nic_state_path(interface, group), *merged, FileAttrs{info->mode, std::nullopt, std::nullopt});
}

Result<ProcessResult> LocalSystem::run(const std::vector<std::string>& argv) {
  if (argv.empty()) return make_error("running a program: empty argument list");
  if (!root_.empty()) return make_error("cannot run {} on a tree given with --root", argv[0]);
  int out_pipe[2];
  int err_pipe[2];
  if (posix_door::cloexec_pipe(out_pipe) != 0) return io_error("creating a pipe for", argv[0], errno);
  if (posix_door::cloexec_pipe(err_pipe) != 0) {
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
  Opened opened = paths_.open(path, O_RDWR | O_CREAT | O_NOFOLLOW, 0600);
  if (!opened.ok()) return failed("opening lock", path, opened.error);
  int fd = opened.fd.release();
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

uint32_t LocalSystem::effective_uid() const { return ::geteuid(); }

bool LocalSystem::may_change_host() const { return !root_.empty() || ::geteuid() == 0; }

std::string LocalSystem::describe() const { return root_.empty() ? std::string("/") : root_; }

}  // namespace tune
