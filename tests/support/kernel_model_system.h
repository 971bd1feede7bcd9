// KernelModelSystem: a rooted door that answers writes to /sys as the kernel
// would, where a plain file cannot: a choice line moves its brackets (and
// refuses a value it does not offer), a zram reset drops the size, a
// hugepage pool reserves no more than it is told it can, and the energy bias
// reads back as a number. Tests of the backends use it so that reading back
// means something.
#pragma once

#include "util/local_system.h"

#include <map>
#include <string>

namespace tune::testing {

class KernelModelSystem final : public System {
 public:
  explicit KernelModelSystem(const std::string& root) : inner_(root) {}

  // nr_hugepages files that reserve at most this many pages, as a fragmented host does.
  std::map<std::string, long long> hugepage_limit;
  // Values the kernel refuses (EINVAL) at a path, whatever the file offers.
  std::map<std::string, std::string> refuse_value;

  Result<std::string> read_file(const std::string& path) const override { return inner_.read_file(path); }
  Result<FileInfo> stat(const std::string& path) const override { return inner_.stat(path); }
  Result<std::vector<std::string>> list_dir(const std::string& path) const override { return inner_.list_dir(path); }
  Status write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) override {
    return inner_.write_file(path, data, attrs);
  }
  Status write_attribute(const std::string& path, std::string_view data) override;
  Status append_durable(const std::string& path, std::string_view data) override { return inner_.append_durable(path, data); }
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
  Result<ProcessResult> run(const std::vector<std::string>& argv) override { return inner_.run(argv); }
  Result<std::unique_ptr<LockHandle>> try_lock(const std::string& path) override { return inner_.try_lock(path); }
  bool may_change_host() const override { return true; }
  std::string describe() const override { return "kernel model of " + inner_.describe(); }

 private:
  LocalSystem inner_;
};

}  // namespace tune::testing
