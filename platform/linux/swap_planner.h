// Plans the swap domain: a swap file (swapfile: { size, path }) and a zram
// device (zram: { size, algorithm, priority }), with the files that bring
// them back at boot: a .swap unit each, wanted by swap.target through a
// drop-in, and for zram either zram-generator's config (when it is
// installed) or a udev rule that sizes and formats the device. swappiness is
// vm.swappiness, planned by the sysctl domain.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kSwapTargetDropIn = "/etc/systemd/system/swap.target.d/90-tune.conf";
inline constexpr const char* kZramRulesFile = "/etc/udev/rules.d/61-tune-zram.rules";
inline constexpr const char* kZramModulesFile = "/etc/modules-load.d/90-tune-zram.conf";
inline constexpr const char* kZramGeneratorFile = "/etc/systemd/zram-generator.conf.d/90-tune.conf";
inline constexpr const char* kZramGenerator = "/usr/lib/systemd/system-generators/zram-generator";

class SwapPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "swap"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
