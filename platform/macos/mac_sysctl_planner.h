// Plans macOS sysctl values: each key's live change, and the LaunchDaemon
// that sets them again at boot (macOS keeps no sysctl value across a reboot
// and reads no /etc/sysctl.conf of tune's).
#pragma once

#include "core/planner.h"

namespace tune::macos_platform {

class MacSysctlPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "sysctl"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

// Why a value cannot be given to this Mac ("above the 16384 MiB this Mac
// has"), or nothing: iogpu.wired_limit_mb may not exceed the memory.
std::optional<std::string> refused_on_this_mac(const std::string& key, const std::string& value, const HostFacts& facts);

}  // namespace tune::macos_platform
