// Plans the `macos:` profile section: Spotlight indexing of a model volume
// (opt-in: only a profile that names the volume turns it off) and the Dock's
// animation preferences, which guides copy but which change how the desktop
// looks, not how a model runs: reported as cosmetic, never applied.
#pragma once

#include "core/planner.h"

namespace tune::macos_platform {

class MacosSettingsPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "macos"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::macos_platform
