#include "platform/macos/macos_settings_planner.h"

#include "core/profile_host.h"
#include "platform/macos/spotlight_knob.h"
#include "util/text.h"

namespace tune::macos_platform {

Status MacosSettingsPlanner::plan(const PlanRequest& request, Plan& plan) const {
  SpotlightKnob spotlight;
  for (const Setting* setting : request.profile.in_domain("macos")) {
    auto skip = [&](const std::string& target, const std::string& why) {
      plan.skipped.push_back({"macos", target, setting->want.describe(), why, setting_origin(*setting)});
    };
    if (starts_with(setting->key, "dock_") || setting->key == "window_resize_time") {
      skip(setting->key, "cosmetic, not applied: Dock and window animations change how the desktop looks, not how a model runs");
      continue;
    }
    if (setting->key != "spotlight_off") {
      skip(setting->key, "the macOS backend has no handler for " + setting->key);
      continue;
    }
    if (setting->want.op != Want::Op::Exact || setting->want.values.size() != 1) {
      skip(setting->key, "spotlight_off takes one volume");
      continue;
    }
    const std::string target = "spotlight:" + setting->want.values.front();
    auto observed = spotlight.observe(request.system, target);
    if (!observed) {
      skip(target, observed.error().message);
      continue;
    }
    if (!observed->supported) {
      skip(target, "unsupported here: " + observed->note);
      continue;
    }
    Change change;
    change.domain = "macos";
    change.target = target;
    change.before = observed->value;
    change.after = "off";
    change.action = *observed->value == "off" ? Action::None : Action::Modify;
    change.persistence = Persistence::File;  // Spotlight keeps the switch in the volume's own store
    change.reason = setting_origin(*setting);
    change.note = "mdutil -i off " + setting->want.values.front() +
                  ": Spotlight stops indexing that volume (and searching it)";
    plan.changes.push_back(std::move(change));
  }
  return {};
}

}  // namespace tune::macos_platform
