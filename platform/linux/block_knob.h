// BlockKnob: one queue attribute of one block device, addressed
// "DEVICE/KEY" ("nvme0n1/scheduler", "loop3/read_ahead_kb").
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class BlockKnob final : public Knob {
 public:
  std::string domain() const override { return "block"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// The attribute file of a "DEVICE/KEY" target; an error for anything else,
// so a hostile saved plan cannot name another file.
Result<std::string> block_attribute_path(const std::string& target);

}  // namespace tune::linux_platform
