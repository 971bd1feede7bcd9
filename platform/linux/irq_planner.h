// Plans the irq domain: banned_cpus (irqbalance's own drop-in, then a
// daemon-reload and a restart of irqbalance where it runs), default_affinity
// (/proc/irq/default_smp_affinity now, and /etc/tmpfiles.d/90-tune-irq.conf
// at every boot) and affinity (every IRQ there is now, once: IRQs set up
// later take default_affinity, and the plan says so).
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

class IrqPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "irq"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
