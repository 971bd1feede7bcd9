#include "platform/windows/power_planner.h"

#include "core/profile_host.h"
#include "platform/windows/power_knob.h"
#include "platform/windows/registry_knob.h"
#include "platform/windows/windows_door.h"
#include "platform/windows/windows_planning.h"
#include "platform/windows/windows_settings.h"

#include <algorithm>

namespace tune::windows_platform {
namespace {

// Scheme, then the scheme's values, then the registry values.
int rank(const std::string& key) {
  if (key == kSchemeTarget) return 0;
  if (find_power_value_setting(key)) return 1;
  return 2;
}

}  // namespace

Status WindowsPowerPlanner::plan(const PlanRequest& request, Plan& plan) const {
  std::vector<const Setting*> settings = request.profile.in_domain("power");
  if (settings.empty()) return {};
  std::stable_sort(settings.begin(), settings.end(),
                   [](const Setting* a, const Setting* b) { return rank(a->key) < rank(b->key); });
  if (skipped_without_windows(request.system, settings, plan)) return {};
  auto api = windows_api_of(request.system);
  if (!api) return api.error();
  WindowsPowerKnob power;
  RegistryKnob registry;
  std::string switched_to;  // the scheme the values will be written into, when the plan switches
  for (const Setting* setting : settings) {
    const std::string& key = setting->key;
    if (key == kSchemeTarget) {
      const std::string wanted = setting->want.target_for("");
      if (wanted == "ultimate-performance") {
        auto schemes = (*api)->power_schemes();
        // Unanswered, the scheme's own observation below says why it is skipped.
        if (schemes && ultimate_copies(*schemes).empty()) {
          Change copy;
          copy.domain = "power";
          copy.target = kUltimateCopyTarget;
          copy.action = Action::Create;
          copy.after = "present";
          copy.persistence = Persistence::File;
          copy.reason = setting_origin(*setting);
          copy.note = std::string("a copy of the hidden Ultimate Performance plan (") + kUltimatePerformanceGuid +
                      "), as `powercfg /duplicatescheme` makes; rollback deletes it";
          plan.changes.push_back(std::move(copy));
        }
      }
      size_t before = plan.changes.size();
      TUNE_RETURN_IF_ERROR(plan_observed(power, request.system, *setting, "power", kSchemeTarget, plan));
      if (plan.changes.size() > before && plan.changes.back().action != Action::None) switched_to = wanted;
      continue;
    }
    if (find_power_value_setting(key)) {
      std::string note;
      if (!switched_to.empty()) {
        note = "written into the " + switched_to + " plan, made active by the step before (before is the current plan's)";
      }
      TUNE_RETURN_IF_ERROR(plan_observed(power, request.system, *setting, "power", key, plan, std::nullopt, note));
      continue;
    }
    if (const RegistrySetting* value = find_registry_setting(key); value && std::string(value->domain) == "power") {
      TUNE_RETURN_IF_ERROR(plan_observed(registry, request.system, *setting, "registry", key, plan, std::nullopt,
                                         std::string(value->path) + "\\" + value->name));
      continue;
    }
    plan.skipped.push_back({"power", key, setting->want.describe(), "not a power setting of the Windows backend",
                            setting_origin(*setting)});
  }
  return {};
}

}  // namespace tune::windows_platform
