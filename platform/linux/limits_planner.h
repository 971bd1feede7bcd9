// Plans the limits domain. For each item and limit the profile names it
// plans what a new login session will get (and, for "*", what new services
// get from the service manager), derived from two files it writes:
// /etc/security/limits.d/90-tune.conf and /etc/systemd/system.conf.d/90-tune.conf
// (listed after the limits changes: see emit()).
// It computes the result with those files in place first, so a value another
// file would override, or one that would break logins, is skipped with the
// reason instead of being written.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

class LimitsPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "limits"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
