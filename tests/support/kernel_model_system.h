// KernelModelSystem: a rooted door that answers writes to /sys as the kernel
// would, where a plain file cannot: a choice line moves its brackets (and
// refuses a value it does not offer), a zram reset drops the size, a
// hugepage pool reserves no more than it is told it can, and the energy bias
// reads back as a number; and it can be told to refuse a value or a swap area. Tests of the backends use it so that reading back
// means something.
#pragma once

#include "support/rooted_door.h"

#include <map>
#include <set>
#include <string>

namespace tune::testing {

class KernelModelSystem final : public RootedDoor {
 public:
  explicit KernelModelSystem(const std::string& root) : RootedDoor(root) {}

  // nr_hugepages files that reserve at most this many pages, as a fragmented host does.
  std::map<std::string, long long> hugepage_limit;
  // Values the kernel refuses (EINVAL) at a path, whatever the file offers.
  std::map<std::string, std::string> refuse_value;
  // Swap areas the kernel will not swap on (a file with holes, a copy-on-write file system).
  std::set<std::string> refuse_swapon;

  // Fault injection: every call that changes the tree or the kernel is
  // counted; the one numbered fail_at (from 0) fails, as a full disk or a
  // refusing kernel would, and the calls after it work again.
  int fail_at = -1;
  int mutations = 0;
  std::string failed_call;  // the call that was made to fail

  Status write_attribute(const std::string& path, std::string_view data) override;
  Status swap_on(const std::string& path, int priority) override {
    TUNE_RETURN_IF_ERROR(count("swapon " + path));
    if (refuse_swapon.count(path)) return make_error("swapon {}: Invalid argument", path);
    return inner_.swap_on(path, priority);
  }
  Status swap_off(const std::string& path) override {
    TUNE_RETURN_IF_ERROR(count("swapoff " + path));
    return inner_.swap_off(path);
  }
  Status write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) override {
    TUNE_RETURN_IF_ERROR(count("writing " + path));
    return inner_.write_file(path, data, attrs);
  }
  Status append_durable(const std::string& path, std::string_view data) override {
    TUNE_RETURN_IF_ERROR(count("appending to " + path));
    return inner_.append_durable(path, data);
  }
  Status remove_file(const std::string& path) override {
    TUNE_RETURN_IF_ERROR(count("removing " + path));
    return inner_.remove_file(path);
  }
  Status make_dirs(const std::string& path, uint32_t mode) override {
    TUNE_RETURN_IF_ERROR(count("making " + path));
    return inner_.make_dirs(path, mode);
  }
  Status allocate_file(const std::string& path, uint64_t size, uint32_t mode) override {
    TUNE_RETURN_IF_ERROR(count("allocating " + path));
    return inner_.allocate_file(path, size, mode);
  }
  Status write_at(const std::string& path, uint64_t offset, std::string_view data) override {
    TUNE_RETURN_IF_ERROR(count("writing " + path));
    return inner_.write_at(path, offset, data);
  }
  std::string describe() const override { return "kernel model of " + inner_.describe(); }

  // Counts a change made elsewhere (a service manager's call) with the door's own.
  Status count(const std::string& what) {
    if (mutations++ != fail_at) return {};
    failed_call = what;
    return make_error("{}: injected fault", what);
  }
};

}  // namespace tune::testing
