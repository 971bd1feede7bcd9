// LocalSystem: the real host, or every path under a chosen root directory
// (for tests and `--root DIR`). Paths given to it are always host paths
// ("/proc/sys/vm/swappiness"); a root only prefixes them.
#pragma once

#include "util/confined_paths.h"
#include "util/system.h"

namespace tune {

class LocalSystem final : public System {
 public:
  // An empty root means the real host.
  explicit LocalSystem(std::string root = "");

  Result<std::string> read_file(const std::string& path) const override;
  Result<FileInfo> stat(const std::string& path) const override;
  Result<std::vector<std::string>> list_dir(const std::string& path) const override;
  Result<std::optional<std::string>> read_link(const std::string& path) const override;
  Status write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) override;
  Status write_attribute(const std::string& path, std::string_view data) override;
  Status append_durable(const std::string& path, std::string_view data) override;
  Status remove_file(const std::string& path) override;
  Status make_dirs(const std::string& path, uint32_t mode) override;
  Status remove_empty_dir(const std::string& path) override;
  Status allocate_file(const std::string& path, uint64_t size, uint32_t mode) override;
  Status write_at(const std::string& path, uint64_t offset, std::string_view data) override;
  Status swap_on(const std::string& path, int priority) override;
  Status swap_off(const std::string& path) override;
  Result<std::string> read_nic(const std::string& interface, const std::string& group) const override;
  Status write_nic(const std::string& interface, const std::string& group, std::string_view changes) override;
  Result<ProcessResult> run(const std::vector<std::string>& argv) override;
  // As run(): LocalSystem holds no state a program could change.
  Result<ProcessResult> query(const std::vector<std::string>& argv) const override {
    return const_cast<LocalSystem*>(this)->run(argv);
  }
  Result<std::unique_ptr<LockHandle>> try_lock(const std::string& path) override;
  ServiceManager& services() const override { return *services_; }
  bool can_run_programs() const override { return root_.empty(); }
  uint32_t effective_uid() const override;
  // The CLI connects systemd where it runs (platform/linux); until then, offline.
  void set_services(std::unique_ptr<ServiceManager> services) { services_ = std::move(services); }
  bool may_change_host() const override;
  std::string describe() const override;

  const std::string& root() const { return root_; }

#if defined(_WIN32)
  // The Win32 API of this host (registry, power, services, rights); on a tree
  // given with --root, none. util/local_system_win32.cpp.
  WindowsApi* windows() const override { return windows_.get(); }
#endif

 private:
  std::string root_;
#if defined(_WIN32)
  std::unique_ptr<WindowsApi> windows_;
#else
  ConfinedPaths paths_;  // every path this door opens, confined to root_ when there is one
#endif
  std::unique_ptr<ServiceManager> services_;
};

}  // namespace tune
