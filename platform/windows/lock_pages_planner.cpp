#include "platform/windows/lock_pages_planner.h"

#include "core/profile_host.h"
#include "platform/windows/account_right_knob.h"
#include "platform/windows/windows_planning.h"
#include "platform/windows/windows_settings.h"

namespace tune::windows_platform {

Status LockPagesPlanner::plan(const PlanRequest& request, Plan& plan) const {
  std::vector<const Setting*> mine;
  for (const Setting* setting : request.profile.in_domain("windows")) {
    if (setting->key == "lock_pages_account") mine.push_back(setting);
  }
  if (skipped_without_windows(request.system, mine, plan)) return {};
  for (const Setting* setting : mine) {
    const std::string account = setting->want.target_for("");
    if (account.empty() || account.find('/') != std::string::npos || setting->want.op != Want::Op::Exact) {
      plan.skipped.push_back({"windows", setting->key, setting->want.describe(), "not one account name",
                              setting_origin(*setting)});
      continue;
    }
    TUNE_RETURN_IF_ERROR(plan_observed(AccountRightKnob(), request.system, *setting, "account_right",
                                       account_right_target(account, kLockMemoryRight), plan, std::string("granted"),
                                       "takes effect when " + account + " signs in again"));
  }
  return {};
}

}  // namespace tune::windows_platform
