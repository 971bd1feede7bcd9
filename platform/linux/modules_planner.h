// Plans the modules domain: each MODULE/PARAM of the profile is
//  - a loaded module's writable parameter: written live ("modules" change),
//    and in /etc/modprobe.d/90-tune.conf for its next load;
//  - a built-in module's writable parameter: written live, and again at
//    every boot by /etc/tmpfiles.d/90-tune-modules.conf (modprobe.d never
//    reaches a built-in module);
//  - a module not loaded, or a read-only parameter: in modprobe.d only, a
//    "modprobe" change that stays pending until the module's next load.
// A built-in module's read-only parameter is skipped: only the kernel
// command line sets it.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kModulesBootFile = "/etc/tmpfiles.d/90-tune-modules.conf";

class ModulesPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "modules"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
