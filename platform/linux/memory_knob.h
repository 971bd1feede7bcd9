// MemoryKnob: transparent hugepages ("transparent_hugepages.enabled", ...)
// and explicit hugepage pools by size, in total or per NUMA node
// ("2M/hugepages.count", "1G/hugepages.node1").
#pragma once

#include "core/knob.h"

#include <cstdint>

namespace tune::linux_platform {

class MemoryKnob final : public Knob {
 public:
  std::string domain() const override { return "memory"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  // A hugepage count the kernel could not fully reserve is a failed step
  // whose message gives both numbers and the free memory.
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// Where a target lives; an error for anything that is not a memory target,
// so a hostile saved plan cannot name another file.
struct MemoryTarget {
  std::string path;
  bool hugepages = false;
  uint64_t page_kib = 0;  // hugepages: the page size
  int node = -1;          // hugepages per node: the node
};
Result<MemoryTarget> memory_target(const std::string& target);

// "2M" -> 2048; 0 when not a size Linux offers.
uint64_t hugepage_kib(const std::string& size);

}  // namespace tune::linux_platform
