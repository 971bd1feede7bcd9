// Plans the power domain on Linux: SATA link power (ALPM), audio codec power
// saving, GPU power and USB autosuspend, each over every host, module, card or
// device that has it. Hosts, cards and devices without the interface are named
// in the note (or the skip, when none has it).
//
// Persistence: the sysfs values come back through a udev rule file, not
// tmpfiles.d, because SATA hosts, GPUs (amdgpu and radeon load late, often
// after systemd-tmpfiles-setup has run) and USB devices appear when their
// driver binds, and a device plugged in later must get the setting too; a
// udev rule fires on each one's "add". The audio values are module
// parameters, so they go into a modprobe.d options line that applies
// whenever the module loads; this file is the power domain's own, apart from
// the modules domain's 90-tune.conf, so each file has one owner.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kPowerRulesFile = "/etc/udev/rules.d/60-tune-power.rules";
inline constexpr const char* kPowerModprobeFile = "/etc/modprobe.d/90-tune-power.conf";

class PowerPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "power"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
