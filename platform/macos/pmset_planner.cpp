#include "platform/macos/pmset_planner.h"

#include "core/profile_host.h"
#include "platform/macos/pmset_knob.h"

namespace tune::macos_platform {

Status PmsetPlanner::plan(const PlanRequest& request, Plan& plan) const {
  PmsetKnob knob;
  for (const Setting* setting : request.profile.in_domain("power")) {
    auto skip = [&](const std::string& why) {
      plan.skipped.push_back({"power", setting->key, setting->want.describe(), why, setting_origin(*setting)});
    };
    if (!is_pmset_key(setting->key)) {
      skip("not a pmset setting: the macOS backend changes power with pmset only");
      continue;
    }
    auto observed = knob.observe(request.system, setting->key);
    if (!observed) return observed.error();
    if (!observed->supported) {
      skip("unsupported here: " + observed->note);
      continue;
    }
    Change change;
    change.domain = "power";
    change.target = setting->key;
    change.before = observed->value;
    // pmset writes its own preferences file, so the value holds after a reboot.
    change.persistence = Persistence::File;
    change.reason = setting_origin(*setting);
    if (setting->want.satisfied_by(*observed->value)) {
      change.action = Action::None;
      change.after = observed->value;
    } else {
      change.action = Action::Modify;
      change.after = setting->want.target_for(*observed->value);
      change.note = "pmset -a " + setting->key + " " + *change.after + " (every power source)";
    }
    plan.changes.push_back(std::move(change));
  }
  return {};
}

}  // namespace tune::macos_platform
