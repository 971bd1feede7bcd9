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

  Status write_attribute(const std::string& path, std::string_view data) override;
  Status swap_on(const std::string& path, int priority) override {
    if (refuse_swapon.count(path)) return make_error("swapon {}: Invalid argument", path);
    return inner_.swap_on(path, priority);
  }
  std::string describe() const override { return "kernel model of " + inner_.describe(); }
};

}  // namespace tune::testing
