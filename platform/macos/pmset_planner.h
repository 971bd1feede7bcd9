// Plans the power domain on a Mac: each pmset key the profile sets, against
// what `pmset -g custom` reports. Keys pmset does not offer on this Mac
// (lowpowermode before macOS 12, standby on some desktops) are skipped.
#pragma once

#include "core/planner.h"

namespace tune::macos_platform {

class PmsetPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "power"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::macos_platform
