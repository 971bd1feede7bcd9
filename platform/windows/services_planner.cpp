#include "platform/windows/services_planner.h"

#include "core/profile_host.h"
#include "platform/windows/service_start_knob.h"
#include "platform/windows/windows_planning.h"

namespace tune::windows_platform {

Status WindowsServicesPlanner::plan(const PlanRequest& request, Plan& plan) const {
  ServiceStartKnob knob;
  const std::vector<const Setting*> settings = request.profile.in_domain("services");
  if (skipped_without_windows(request.system, settings, plan)) return {};
  for (const Setting* setting : settings) {
    auto skip = [&](const std::string& why) {
      plan.skipped.push_back({"services", setting->target(), setting->want.describe(), why, setting_origin(*setting)});
    };
    if (setting->key != "start_type") {
      skip("a systemd unit setting; Windows services take only start_type here");
      continue;
    }
    if (!valid_windows_service_name(setting->scope)) {
      skip("'" + setting->scope + "' is not a Windows service name");
      continue;
    }
    if (!valid_start_type(setting->want.target_for(""))) {
      skip("start_type is one of boot, system, auto, delayed-auto, manual, disabled");
      continue;
    }
    TUNE_RETURN_IF_ERROR(plan_observed(knob, request.system, *setting, "service_start", setting->scope, plan));
  }
  return {};
}

}  // namespace tune::windows_platform
