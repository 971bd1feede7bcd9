// Plans the sysfs domain: raw /sys attributes, each profile path expanded to
// the files it names (one change per file), and
// /etc/tmpfiles.d/90-tune-sysfs.conf, which writes them again at boot.
//
// The boot file names the concrete files the plan changed, never the
// profile's glob: what runs at boot is exactly what was checked (refusals,
// symlinks) and reviewed. A file that appears later (a new device) is not
// covered until the profile is applied again.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kSysfsBootFile = "/etc/tmpfiles.d/90-tune-sysfs.conf";

class SysfsPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "sysfs"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
