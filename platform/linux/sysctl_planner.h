// Plans the sysctl domain: each key's runtime value, and the one file that
// makes them survive a reboot, /etc/sysctl.d/90-tune.conf.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kSysctlFile = "/etc/sysctl.d/90-tune.conf";

class SysctlPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "sysctl"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

// The persisted file's text for these key = value pairs.
std::string sysctl_file_text(const std::string& profile, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace tune::linux_platform
