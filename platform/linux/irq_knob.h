// IrqKnob: where interrupts go. "default_affinity" is
// /proc/irq/default_smp_affinity, the CPUs an IRQ gets when it is set up
// (read and written as a hex mask, shown as a CPU list); "affinity" is every
// existing IRQ's smp_affinity_list as one value over all of them
// (member_values.h), the IRQs the kernel keeps (read-only files: per-CPU
// and managed interrupts) left out. Values compare as CPU sets.
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class IrqKnob final : public Knob {
 public:
  std::string domain() const override { return "irq"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
  bool same_at(const std::string& target, const std::optional<std::string>& live,
               const std::optional<std::string>& wanted) const override;
};

inline constexpr const char* kIrqDefaultAffinity = "default_affinity";
inline constexpr const char* kIrqAffinity = "affinity";

// Whether two IRQ affinity values say the same of every IRQ both name: an
// IRQ that came or went since one of them was read is nobody's drift.
bool same_irq_affinities(const std::string& a, const std::string& b);

}  // namespace tune::linux_platform
