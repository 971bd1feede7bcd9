// Plans the memory domain: transparent hugepages and explicit hugepage pools
// (in total or per NUMA node), and /etc/tmpfiles.d/90-tune-memory.conf,
// which sets them again at boot.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kMemoryBootFile = "/etc/tmpfiles.d/90-tune-memory.conf";

class MemoryPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "memory"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
