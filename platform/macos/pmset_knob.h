// PmsetKnob: the power settings of pmset(1), one target per key ("sleep",
// "powernap"). Read with `pmset -g custom` (every power source's value, so a
// Mac whose battery and AC settings differ gets each back on rollback),
// changed with `pmset -a KEY VALUE`. pmset keeps its settings across reboots
// itself (in /Library/Preferences/SystemConfiguration), so nothing else persists them.
#pragma once

#include "core/knob.h"

namespace tune::macos_platform {

class PmsetKnob final : public Knob {
 public:
  std::string domain() const override { return "power"; }
  Result<Observation> observe(const System& system, const std::string& key) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& key, const PriorState& prior) const override;
};

// The keys tune changes with pmset (those of data/knowledge/power.yaml for macOS).
bool is_pmset_key(const std::string& key);

}  // namespace tune::macos_platform
