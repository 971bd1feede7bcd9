// The registry values of the `windows:` profile section (TCP parameters):
// each a DWORD at the place windows_settings.h names for it.
#pragma once

#include "core/planner.h"

namespace tune::windows_platform {

class RegistryPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "windows"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::windows_platform
