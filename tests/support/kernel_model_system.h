// KernelModelSystem: a rooted door that answers writes to /sys as the kernel
// would, where a plain file cannot: a choice line moves its brackets (and
// refuses a value it does not offer), a zram reset drops the size, a
// hugepage pool reserves no more than it is told it can, and the energy bias
// reads back as a number. Tests of the backends use it so that reading back
// means something.
#pragma once

#include "support/rooted_door.h"

#include <map>
#include <string>

namespace tune::testing {

class KernelModelSystem final : public RootedDoor {
 public:
  explicit KernelModelSystem(const std::string& root) : RootedDoor(root) {}

  // nr_hugepages files that reserve at most this many pages, as a fragmented host does.
  std::map<std::string, long long> hugepage_limit;
  // Values the kernel refuses (EINVAL) at a path, whatever the file offers.
  std::map<std::string, std::string> refuse_value;

  Status write_attribute(const std::string& path, std::string_view data) override;
  std::string describe() const override { return "kernel model of " + inner_.describe(); }
};

}  // namespace tune::testing
