// Plans the cpu domain: each key's value over every policy or CPU that has
// it, and /etc/tmpfiles.d/90-tune-cpu.conf, which sets them again at boot.
// A host without the interface (most virtual machines have no cpufreq) gets
// skips that say so; a value the driver does not offer is skipped with the
// values it does.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kCpuBootFile = "/etc/tmpfiles.d/90-tune-cpu.conf";

class CpuPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "cpu"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
