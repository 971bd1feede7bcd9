// AccountRightKnob: whether an account holds a user right, through the LSA.
// Only "Lock pages in memory" (SeLockMemoryPrivilege, what large pages need)
// is managed. Target "ACCOUNT/RIGHT", state "granted" or absent; restore
// removes the right only where the journal says it was absent before.
#pragma once

#include "core/knob.h"

namespace tune::windows_platform {

class AccountRightKnob final : public Knob {
 public:
  std::string domain() const override { return "account_right"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

std::string account_right_target(const std::string& account, const std::string& right);

}  // namespace tune::windows_platform
