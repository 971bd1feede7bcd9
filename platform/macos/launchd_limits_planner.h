// Plans the limits domain on a Mac: the profile's "*" nofile and nproc are
// launchd's maxfiles and maxproc, set live with launchctl and again at boot
// by /Library/LaunchDaemons/limit.maxfiles.plist (limit.maxproc.plist), the
// documented replacement for /etc/launchd.conf, which macOS ignores since
// OS X 10.10. launchd's limits are system-wide, so per-user items are skipped.
#pragma once

#include "core/planner.h"

namespace tune::macos_platform {

class LaunchdLimitsPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "limits"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::macos_platform
