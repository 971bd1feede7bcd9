// Plans the selinux domain (avc_cache_threshold) and
// /etc/tmpfiles.d/90-tune-selinux.conf, which writes it again at boot
// (selinuxfs is mounted before systemd-tmpfiles-setup runs).
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kSelinuxBootFile = "/etc/tmpfiles.d/90-tune-selinux.conf";

class SelinuxPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "selinux"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
