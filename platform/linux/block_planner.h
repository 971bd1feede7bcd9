// Plans the block domain: the queue settings of every device a scope names
// (a class, a kernel name or glob), the most specific scope winning, and
// /etc/udev/rules.d/60-tune-block.rules, which sets them at boot and on any
// disk that appears later.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kBlockRulesFile = "/etc/udev/rules.d/60-tune-block.rules";

class BlockPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "block"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

// The scheduler a device offers for a wanted name, which older and newer
// kernels call differently (none/noop, mq-deadline/deadline, bfq/cfq).
std::optional<std::string> offered_scheduler(const std::string& wanted, const std::vector<std::string>& offered);

}  // namespace tune::linux_platform
