// PowerKnob: the Linux power settings (SATA link power, audio codec power
// saving, GPU power, USB autosuspend), one target per profile key, each one
// value over every host, module, card or device that has it (power_files.h).
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class PowerKnob final : public Knob {
 public:
  std::string domain() const override { return "power"; }
  Result<Observation> observe(const System& system, const std::string& key) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& key, const PriorState& prior) const override;
  bool same_at(const std::string& key, const std::optional<std::string>& live,
               const std::optional<std::string>& wanted) const override;
};

}  // namespace tune::linux_platform
