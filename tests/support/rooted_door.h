// RootedDoor: a System that passes every call to a real door rooted in a
// test's tree. Test doors derive from it and override only the calls whose
// answers they change (FaultySystem, KernelModelSystem).
#pragma once

#include "util/local_system.h"

#include <string>

namespace tune::testing {

class RootedDoor : public System {
 public:
  explicit RootedDoor(const std::string& root) : inner_(root) {}

  Result<std::string> read_file(const std::string& path) const override { return inner_.read_file(path); }
  Result<FileInfo> stat(const std::string& path) const override { return inner_.stat(path); }
  Result<std::vector<std::string>> list_dir(const std::string& path) const override { return inner_.list_dir(path); }
  Result<std::optional<std::string>> read_link(const std::string& path) const override { return inner_.read_link(path); }
  Status write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) override {
    return inner_.write_file(path, data, attrs);
  }
  Status write_attribute(const std::string& path, std::string_view data) override {
    return inner_.write_attribute(path, data);
  }
  Status append_durable(const std::string& path, std::string_view data) override {
    return inner_.append_durable(path, data);
  }
  Status remove_file(const std::string& path) override { return inner_.remove_file(path); }
  Status make_dirs(const std::string& path, uint32_t mode) override { return inner_.make_dirs(path, mode); }
  Status remove_empty_dir(const std::string& path) override { return inner_.remove_empty_dir(path); }
  Status allocate_file(const std::string& path, uint64_t size, uint32_t mode) override {
    return inner_.allocate_file(path, size, mode);
  }
  Status write_at(const std::string& path, uint64_t offset, std::string_view data) override {
    return inner_.write_at(path, offset, data);
  }
  Status swap_on(const std::string& path, int priority) override { return inner_.swap_on(path, priority); }
  Status swap_off(const std::string& path) override { return inner_.swap_off(path); }
  Result<std::string> read_nic(const std::string& interface, const std::string& group) const override {
    return inner_.read_nic(interface, group);
  }
  Status write_nic(const std::string& interface, const std::string& group, std::string_view changes) override {
    return inner_.write_nic(interface, group, changes);
  }
  Result<ProcessResult> run(const std::vector<std::string>& argv) override { return inner_.run(argv); }
  Result<ProcessResult> query(const std::vector<std::string>& argv) const override { return inner_.query(argv); }
  Result<std::unique_ptr<LockHandle>> try_lock(const std::string& path) override { return inner_.try_lock(path); }
  ServiceManager& services() const override { return inner_.services(); }
  bool can_run_programs() const override { return inner_.can_run_programs(); }
  uint32_t effective_uid() const override { return inner_.effective_uid(); }
  bool may_change_host() const override { return true; }
  std::string describe() const override { return inner_.describe(); }
  // A fake service manager for the backends that talk to systemd.
  void set_services(std::unique_ptr<ServiceManager> services) { inner_.set_services(std::move(services)); }

 protected:
  LocalSystem inner_;
};

}  // namespace tune::testing
