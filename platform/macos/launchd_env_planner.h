// Plans the environment domain on a Mac: each variable set live with
// launchctl setenv, and a LaunchAgent per variable that sets it again at
// each login (launchd forgets setenv at reboot). launchd has one
// environment per domain, so two jobs cannot get two values of one variable.
#pragma once

#include "core/planner.h"

namespace tune::macos_platform {

class LaunchdEnvPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "environment"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::macos_platform
