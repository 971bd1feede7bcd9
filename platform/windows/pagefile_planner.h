// windows: pagefile_mb: the page file list, as one change that waits for a
// reboot. 0 asks for a system-managed page file; N for a fixed N MB file on
// the system drive (what guide 000 does through Win32_PageFileSetting).
#pragma once

#include "core/planner.h"

namespace tune::windows_platform {

class PagefilePlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "windows"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::windows_platform
