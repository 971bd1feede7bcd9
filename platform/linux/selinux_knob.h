// SelinuxKnob: SELinux kernel tunables in selinuxfs; today the access vector
// cache's size, "avc_cache_threshold" (/sys/fs/selinux/avc/cache_threshold).
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class SelinuxKnob final : public Knob {
 public:
  std::string domain() const override { return "selinux"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// The selinuxfs file of a target; an error for anything else.
Result<std::string> selinux_path(const std::string& target);

}  // namespace tune::linux_platform
