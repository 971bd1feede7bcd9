// Plans the services and environment domains together, one unit at a time:
// the unit's drop-in (/etc/systemd/system/<unit>.d/90-tune.conf, [Service]
// directives and Environment= lines), or a whole unit from a template where
// the host has none; what the unit will run with, as derived changes; and
// the calls that make systemd take it (daemon-reload, a restart when asked,
// enable and start for a unit tune installs), or, where systemd is not
// PID 1, skips that say the files wait for it.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

class UnitsPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "services"; }
  std::vector<std::string> domains() const override { return {"services", "environment"}; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
