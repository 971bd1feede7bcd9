#include "platform/windows/defender_exclusion_planner.h"

#include "core/profile_host.h"
#include "platform/windows/defender_exclusion_knob.h"
#include "platform/windows/windows_planning.h"
#include "platform/windows/windows_settings.h"
#include "util/text.h"

namespace tune::windows_platform {
namespace {

bool opted_in(const Setting* opt_in) {
  if (opt_in == nullptr) return false;
  const std::string word = ascii_lower(opt_in->want.target_for(""));
  return word == "true" || word == "yes" || word == "on" || word == "1";
}

std::vector<std::string> paths_of(const std::string& text) {
  std::vector<std::string> paths;
  for (const auto& part : split(text, ';')) {
    std::string path = trim(part);
    if (!path.empty()) paths.push_back(path);
  }
  return paths;
}

}  // namespace

Status DefenderExclusionPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const Setting* paths = nullptr;
  const Setting* opt_in = nullptr;
  for (const Setting* setting : request.profile.in_domain("windows")) {
    if (setting->key == kDefenderExclusionProfileKey) paths = setting;
    if (setting->key == kDefenderOptInKey) opt_in = setting;
  }
  if (paths == nullptr) return {};
  if (!opted_in(opt_in)) {
    plan.skipped.push_back({"windows", paths->key, paths->want.describe(),
                            std::string("a Defender exclusion is a security trade-off (files in an excluded folder are "
                                        "never scanned for malware): set ") +
                                kDefenderOptInKey + ": true beside it to accept that",
                            setting_origin(*paths)});
    return {};
  }
  if (skipped_without_windows(request.system, {paths}, plan)) return {};
  const std::vector<std::string> wanted = paths_of(paths->want.target_for(""));
  if (wanted.empty() || paths->want.op != Want::Op::Exact) {
    plan.skipped.push_back({"windows", paths->key, paths->want.describe(), "not a list of paths separated by ';'",
                            setting_origin(*paths)});
    return {};
  }
  for (const auto& path : wanted) {
    if (Status valid = check_defender_path(path); !valid) {
      plan.skipped.push_back({"windows", paths->key, path, valid.error().message, setting_origin(*paths)});
      continue;
    }
    TUNE_RETURN_IF_ERROR(plan_observed(DefenderExclusionKnob(), request.system, *paths, "defender_exclusion", path, plan,
                                       std::string("excluded"), "through Add-MpPreference -ExclusionPath"));
    plan.warnings.push_back("security trade-off: Microsoft Defender will not scan " + path +
                            ": malware saved or downloaded into it is not detected (" + setting_origin(*paths) + ")");
  }
  return {};
}

}  // namespace tune::windows_platform
