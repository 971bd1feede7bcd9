// Plans the boot domain: kernel command line parameters, through GRUB (a
// drop-in /etc/default/grub.d/90-tune.cfg, then update-grub) or
// kernel-install (/etc/kernel/cmdline, then kernel-install). Every parameter
// needs a reboot; until then `tune verify` reports it pending, not drifted.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

class BootPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "boot"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
