#include "platform/linux/irqbalance_knob.h"

#include "platform/linux/cpu_sets.h"
#include "platform/linux/irq_files.h"
#include "platform/linux/unit_files.h"

namespace tune::linux_platform {

Result<Observation> IrqbalanceKnob::observe(const System& system, const std::string& target) const {
  if (target != kBannedCpus) return make_error("irqbalance: '{}' is not an irqbalance setting", target);
  Observation observation;
  UnitFiles files = find_unit_files(system, kIrqbalanceUnit);
  if (files.fragment.empty() || files.masked) {
    observation.supported = observation.writable = false;
    observation.note = files.masked ? "not available here: irqbalance.service is masked"
                                    : "not available here: irqbalance is not installed";
    return observation;
  }
  auto variable = irqbalance_variable(system, kBannedVariable);
  if (!variable) return variable.error();
  observation.value = variable->value;
  if (observation.value) observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

// The drop-in's file step sets and restores the value.
Status IrqbalanceKnob::apply(System&, const Change&) const { return {}; }
Status IrqbalanceKnob::restore(System&, const std::string&, const PriorState&) const { return {}; }

bool IrqbalanceKnob::same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  return same_cpulist(*live, *wanted);
}

}  // namespace tune::linux_platform
