// windows: lock_pages_account: grant an account "Lock pages in memory"
// (SeLockMemoryPrivilege), which large pages need (llama.cpp --mlock, SQL
// Server's large pages). The account must sign in again to get it.
#pragma once

#include "core/planner.h"

namespace tune::windows_platform {

class LockPagesPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "windows"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::windows_platform
