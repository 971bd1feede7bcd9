#include "platform/macos/launchd_env_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/macos/launchd_env_knob.h"
#include "platform/macos/launchd_plist.h"
#include "platform/macos/mac_programs.h"

#include <map>

namespace tune::macos_platform {

Status LaunchdEnvPlanner::plan(const PlanRequest& request, Plan& plan) const {
  LaunchdEnvKnob knob;
  std::map<std::string, std::string> first_job;  // variable -> the job that set it first
  for (const Setting* setting : request.profile.in_domain("environment")) {
    auto skip = [&](const std::string& why) {
      plan.skipped.push_back({"environment", setting->target(), setting->want.describe(), why, setting_origin(*setting)});
    };
    auto name = environment_name(setting->key);
    if (!name) {
      skip(name.error().message);
      continue;
    }
    if (auto earlier = first_job.find(*name); earlier != first_job.end()) {
      skip("launchd has one environment for every job: " + earlier->second + " already sets " + *name);
      continue;
    }
    first_job[*name] = setting->scope;
    auto observed = knob.observe(request.system, setting->target());
    if (!observed) return observed.error();
    if (!observed->supported) {
      skip("unsupported here: " + observed->note);
      continue;
    }
    Change change;
    change.domain = "environment";
    change.target = setting->target();
    change.before = observed->value;
    change.persistence = Persistence::File;
    change.reason = setting_origin(*setting);
    const std::string wanted = observed->value && setting->want.satisfied_by(*observed->value)
                                   ? *observed->value
                                   : setting->want.target_for(observed->value.value_or(""));
    change.after = wanted;
    change.action = !observed->value ? Action::Create : *observed->value == wanted ? Action::None : Action::Modify;
    change.note = "launchctl setenv " + *name + ": " + setting->scope +
                  " and every app launchd starts afterwards see it; restart " + setting->scope + " to take it up";
    plan.changes.push_back(std::move(change));
    auto file = plan_file(request.system, environment_plist_path(*name),
                          run_at_load_plist("dev.tune.environment." + *name, {kLaunchctl, "setenv", *name, wanted},
                                            setting->profile, *name + " for " + setting->scope + ", set again at each login"),
                          0644, setting_origin(*setting) + " (" + *name + ", so it holds after a reboot)");
    if (!file) return file.error();
    plan.changes.push_back(std::move(*file));
  }
  return {};
}

}  // namespace tune::macos_platform
