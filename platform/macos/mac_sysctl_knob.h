// MacSysctlKnob: macOS kernel values through sysctl(8): read with
// `sysctl -n KEY`, changed with `sysctl -w KEY=VALUE`. macOS has no /proc,
// so the program is the only door; its refusal comes back as one line.
#pragma once

#include "core/knob.h"

namespace tune::macos_platform {

class MacSysctlKnob final : public Knob {
 public:
  std::string domain() const override { return "sysctl"; }
  Result<Observation> observe(const System& system, const std::string& key) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& key, const PriorState& prior) const override;
  bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const override;
};

// Keys that describe the machine rather than tune it (hw.*, machdep.*,
// kern.osversion...): sysctl(8) only says so when a write is refused, so
// tune knows them up front and does not plan a change that must fail.
bool read_only_mac_sysctl(const std::string& key);

}  // namespace tune::macos_platform
