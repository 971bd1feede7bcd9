#include "platform/windows/registry_planner.h"

#include "platform/windows/registry_knob.h"
#include "platform/windows/windows_planning.h"
#include "platform/windows/windows_settings.h"

namespace tune::windows_platform {

Status RegistryPlanner::plan(const PlanRequest& request, Plan& plan) const {
  RegistryKnob knob;
  std::vector<const Setting*> mine;
  for (const Setting* setting : request.profile.in_domain("windows")) {
    const RegistrySetting* value = find_registry_setting(setting->key);
    if (value != nullptr && std::string(value->domain) == "windows") mine.push_back(setting);  // else another planner's key
  }
  if (skipped_without_windows(request.system, mine, plan)) return {};
  for (const Setting* setting : mine) {
    const RegistrySetting* value = find_registry_setting(setting->key);
    TUNE_RETURN_IF_ERROR(plan_observed(knob, request.system, *setting, "registry", setting->key, plan, std::nullopt,
                                       std::string(value->path) + "\\" + value->name));
  }
  return {};
}

}  // namespace tune::windows_platform
