#include "platform/windows/pagefile_planner.h"

#include "core/profile_host.h"
#include "platform/windows/pagefile_knob.h"
#include "platform/windows/windows_door.h"
#include "platform/windows/windows_planning.h"
#include "util/text.h"

namespace tune::windows_platform {

Status PagefilePlanner::plan(const PlanRequest& request, Plan& plan) const {
  std::vector<const Setting*> mine;
  for (const Setting* setting : request.profile.in_domain("windows")) {
    if (setting->key == "pagefile_mb") mine.push_back(setting);
  }
  if (skipped_without_windows(request.system, mine, plan)) return {};
  for (const Setting* setting : mine) {
    auto megabytes = parse_integer(setting->want.target_for(""));
    if (!megabytes || *megabytes < 0 || setting->want.op != Want::Op::Exact) {
      plan.skipped.push_back({"windows", setting->key, setting->want.describe(),
                              "pagefile_mb is one number of MB (0: system-managed)", setting_origin(*setting)});
      continue;
    }
    auto api = windows_api_of(request.system);
    if (!api) return api.error();
    // The system drive: where Windows is, from SystemRoot ("C:\WINDOWS").
    std::string drive = "C:";
    auto root = (*api)->read_registry("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "SystemRoot");
    if (root && *root && (*root)->data.size() >= 2 && (*root)->data[1] == ':') drive = (*root)->data.substr(0, 2);
    const std::string list = pagefile_list_for(static_cast<uint64_t>(*megabytes), drive);
    size_t before = plan.changes.size();
    TUNE_RETURN_IF_ERROR(plan_observed(PagefileKnob(), request.system, *setting, "pagefile", kPagingFilesTarget, plan, list,
                                       "Windows reads the page file list at boot"));
    if (plan.changes.size() > before && plan.changes.back().action != Action::None) plan.changes.back().needs_reboot = true;
  }
  return {};
}

}  // namespace tune::windows_platform
