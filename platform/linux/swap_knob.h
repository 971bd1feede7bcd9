// SwapKnob: swap areas tune keeps. A target is a swap file's path
// ("/swapfile") or a zram device ("zram0"); its state is one line
// (swap_area.h). A swap file is made (allocated, 0600, a swap header),
// swapped on, resized or removed; a zram device is sized, given its
// compression algorithm, formatted and swapped on, or reset.
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class SwapKnob final : public Knob {
 public:
  std::string domain() const override { return "swap"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
  bool same_at(const std::string& target, const std::optional<std::string>& live,
               const std::optional<std::string>& wanted) const override;
};

bool is_zram_target(const std::string& target);

}  // namespace tune::linux_platform
