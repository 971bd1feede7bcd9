// LimitsKnob: the limits a new login session and a new service get, as
// "SOFT:HARD" in pam's units ("65535:65535", "unlimited:unlimited", "-" for a
// part tune cannot tell). A derived knob: the values follow from the files
// tune writes (limits.d, system.conf.d, through FileKnob), so apply and
// restore change nothing, and observe computes what those files give, which
// is what `tune verify` compares.
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class LimitsKnob final : public Knob {
 public:
  std::string domain() const override { return "limits"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
  bool derived() const override { return true; }
  // "infinity" and "unlimited", "8192" KiB however written, compare equal.
  bool same_at(const std::string& target, const std::optional<std::string>& live,
               const std::optional<std::string>& wanted) const override;
};

}  // namespace tune::linux_platform
