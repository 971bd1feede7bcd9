// Plans the profile's `systemd` domain: settings of systemd's manager, today
// CPUAffinity, in /etc/systemd/system.conf.d/90-tune-cpuaffinity.conf.
// systemd reads it at the next boot (or a daemon-reexec, which tune does not
// make: it restarts the manager under every service), so the change is
// marked as needing a reboot and verify reports it pending until then.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

class SystemdManagerPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "systemd"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
