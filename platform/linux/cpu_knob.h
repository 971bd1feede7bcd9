// CpuKnob: CPU frequency and idle settings (cpufreq policies, intel_pstate,
// the energy bias, boost, idle states), one target per profile key. A key
// that lives in one file per policy or CPU is one value over all of them
// (member_values.h), so the plan reads like the profile.
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class CpuKnob final : public Knob {
 public:
  std::string domain() const override { return "cpu"; }
  Result<Observation> observe(const System& system, const std::string& key) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& key, const PriorState& prior) const override;
  bool same_at(const std::string& key, const std::optional<std::string>& live,
               const std::optional<std::string>& wanted) const override;
};

}  // namespace tune::linux_platform
