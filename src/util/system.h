// System: the only door to the host. Everything that reads or changes the
// machine goes through this interface, so tests can root it in a temporary
// tree and a dry run can substitute a recorder for it.
#pragma once

#include "util/result.h"
#include "util/service_manager.h"
#include "util/windows_api.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tune {

struct FileInfo {
  bool exists = false;
  bool is_dir = false;
  bool is_symlink = false;
  uint32_t mode = 0;  // permission bits only
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;  // bytes, for regular files
};

// Ownership and permissions for a file tune writes.
struct FileAttrs {
  uint32_t mode = 0644;
  std::optional<uint32_t> uid;  // unset: whoever runs tune
  std::optional<uint32_t> gid;
};

struct ProcessResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// Held while alive; releasing it releases the lock.
class LockHandle {
 public:
  virtual ~LockHandle() = default;
};

class System {
 public:
  virtual ~System() = default;

  // Whole file. Kernel files (/proc, /sys) are read the same way.
  virtual Result<std::string> read_file(const std::string& path) const = 0;
  // Metadata of path itself (not following a final symlink); exists=false
  // when there is nothing there, which is not an error.
  virtual Result<FileInfo> stat(const std::string& path) const = 0;
  // Entry names of a directory, sorted, without "." and "..".
  virtual Result<std::vector<std::string>> list_dir(const std::string& path) const = 0;
  // The target of a symbolic link at path, as stored; nullopt when path is
  // not a link (or not there). A door that cannot tell says so, so a caller
  // that must know where a path leads (raw /sys writes) refuses rather than guesses.
  virtual Result<std::optional<std::string>> read_link(const std::string& path) const {
    return make_error("reading the link {}: not possible through {}", path, describe());
  }

  // Replace a regular file atomically: temporary file, fsync, rename, fsync
  // of the directory. Refuses to write through a symlink.
  virtual Status write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) = 0;
  // Write a kernel attribute (/proc/sys, /sys) in place, with one write(2), so
  // the kernel's own error (EINVAL, EPERM, EROFS...) comes back as is.
  virtual Status write_attribute(const std::string& path, std::string_view data) = 0;
  // Append to a file (created 0600 if absent) and make it durable before
  // returning: the journal's promise rests on this.
  virtual Status append_durable(const std::string& path, std::string_view data) = 0;
  // Remove a file; removing a file that is not there succeeds.
  virtual Status remove_file(const std::string& path) = 0;
  virtual Status make_dirs(const std::string& path, uint32_t mode) = 0;
  // Remove a directory if it is empty; one that is absent, or holds
  // anything, is left as it is (and is not an error).
  virtual Status remove_empty_dir(const std::string& path) = 0;

  // Create a new regular file of `size` bytes, every block allocated (swap
  // refuses files with holes). Refuses when anything is already at path.
  virtual Status allocate_file(const std::string& path, uint64_t size, uint32_t mode) = 0;
  // Write data at offset into an existing file or device, in place: no
  // truncation, no temporary file (a swap header into its file or zram device).
  virtual Status write_at(const std::string& path, uint64_t offset, std::string_view data) = 0;
  // Start and stop swapping on a file or device (swapon(2), swapoff(2)). A
  // priority below 0 lets the kernel choose. A rooted tree keeps the kernel's
  // table in its own /proc/swaps, so swap can be planned and tested there.
  virtual Status swap_on(const std::string& path, int priority) = 0;
  virtual Status swap_off(const std::string& path) = 0;

  // One group of a network interface's ethtool settings ("features",
  // "channels", "rings", "coalesce") as the text of util/nic_settings.h; the
  // kernel's SIOCETHTOOL on the host, files under a rooted tree. A write names
  // only the settings it changes, and the driver's refusal comes back as is.
  virtual Result<std::string> read_nic(const std::string& interface, const std::string& group) const = 0;
  virtual Status write_nic(const std::string& interface, const std::string& group, std::string_view changes) = 0;

  // Run a program with an argument vector, never through a shell.
  virtual Result<ProcessResult> run(const std::vector<std::string>& argv) = 0;
  // Run a program that only reads (sysctl -n, pmset -g, launchctl getenv):
  // a dry run runs it too, since it changes nothing.
  virtual Result<ProcessResult> query(const std::vector<std::string>& argv) const {
    return make_error("running {}: not possible through {}", argv.empty() ? "a program" : argv.front(), describe());
  }
  // Settings that only a program reads and changes (macOS's sysctl, pmset,
  // launchctl): a dry run runs no program that changes the host, so the knob
  // notes the value it set and reads the note back, as a dry run's files read
  // back what was written. Real doors keep no notes.
  virtual void note_setting(const std::string& id, const std::optional<std::string>& value) {
    (void)id;
    (void)value;
  }
  // The value noted for id (nullopt inside: noted as absent); nullptr: none.
  virtual const std::optional<std::string>* noted_setting(const std::string& id) const {
    (void)id;
    return nullptr;
  }

  // Exclusive advisory lock on path, without waiting: an error names who holds it.
  virtual Result<std::unique_ptr<LockHandle>> try_lock(const std::string& path) = 0;

  // The service manager on this host, behind its own door; offline where
  // systemd is not PID 1 or this door opens on a tree.
  virtual ServiceManager& services() const = 0;
  // The Win32 calls of the Windows backend; nullptr on every other host
  // (a Linux or macOS door has no registry).
  virtual WindowsApi* windows() const { return nullptr; }
  // Whether programs can be run here (not in a tree given with --root).
  virtual bool can_run_programs() const = 0;
  // The user tune runs as: the owner its state directory and journal must have.
  virtual uint32_t effective_uid() const = 0;

  // Whether this door may change the host: root on the real system; always
  // true for a rooted tree (its own permissions decide).
  virtual bool may_change_host() const = 0;

  // Human name of what this door opens on, for messages ("/" or the root dir).
  virtual std::string describe() const = 0;
};

}  // namespace tune
