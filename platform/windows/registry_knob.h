// RegistryKnob: the DWORD registry values of windows_settings.h's table
// (SystemResponsiveness, Win32PrioritySeparation, TcpTimedWaitDelay...),
// addressed by tune's key for them. A value that was absent is deleted again
// by restore, so Windows' built-in default comes back.
#pragma once

#include "core/knob.h"

namespace tune::windows_platform {

class RegistryKnob final : public Knob {
 public:
  std::string domain() const override { return "registry"; }
  Result<Observation> observe(const System& system, const std::string& key) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& key, const PriorState& prior) const override;
};

}  // namespace tune::windows_platform
