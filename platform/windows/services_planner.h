// services: on Windows, `start_type` of a service (services: { WSearch:
// { start_type: disabled } }). The systemd directives of the same section
// have no Windows meaning and are skipped, each with its reason.
#pragma once

#include "core/planner.h"

namespace tune::windows_platform {

class WindowsServicesPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "services"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::windows_platform
