// The power domain on Windows: the active scheme first (with a copy of the
// hidden Ultimate Performance plan made when none exists), then the values,
// which are written into whichever scheme is active by then, then the
// multimedia and scheduler registry values.
#pragma once

#include "core/planner.h"

namespace tune::windows_platform {

class WindowsPowerPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "power"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::windows_platform
