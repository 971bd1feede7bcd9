// DefenderExclusionKnob: whether Microsoft Defender Antivirus skips a path.
// Target: the path; state "excluded" or absent. Restore removes the
// exclusion only where the journal says it was absent before, so an
// exclusion the operator had made stays through a rollback.
#pragma once

#include "core/knob.h"

namespace tune::windows_platform {

class DefenderExclusionKnob final : public Knob {
 public:
  std::string domain() const override { return "defender_exclusion"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// An absolute local or UNC path, or why not (a relative one would be
// resolved against whatever directory PowerShell starts in).
Status check_defender_path(const std::string& path);

}  // namespace tune::windows_platform
