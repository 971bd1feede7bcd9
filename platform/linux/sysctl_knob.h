// SysctlKnob: kernel parameters under /proc/sys, addressed by their sysctl
// names ("net.core.somaxconn").
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class SysctlKnob final : public Knob {
 public:
  std::string domain() const override { return "sysctl"; }
  Result<Observation> observe(const System& system, const std::string& key) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& key, const PriorState& prior) const override;
  bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const override;
};

}  // namespace tune::linux_platform
