// IrqbalanceKnob: the CPUs irqbalance leaves alone ("banned_cpus"), as
// irqbalance.service is started with them: IRQBALANCE_BANNED_CPULIST from
// the unit, its drop-ins and its EnvironmentFile= files. tune's drop-in (a
// file step) sets it, so the knob is derived: it writes nothing, and a value
// set later in /etc/default/irqbalance shows as drift.
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

inline constexpr const char* kIrqbalanceDomain = "irqbalance";
inline constexpr const char* kBannedCpus = "banned_cpus";

class IrqbalanceKnob final : public Knob {
 public:
  std::string domain() const override { return kIrqbalanceDomain; }
  bool derived() const override { return true; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
  bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const override;
};

}  // namespace tune::linux_platform
