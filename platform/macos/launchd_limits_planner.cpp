#include "platform/macos/launchd_limits_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/macos/launchd_limits_knob.h"
#include "platform/macos/launchd_plist.h"
#include "platform/macos/mac_programs.h"
#include "util/text.h"

#include <map>

namespace tune::macos_platform {
namespace {

// The profile's limit names and launchctl's.
const std::map<std::string, std::string>& launchd_resources() {
  static const std::map<std::string, std::string> kResources = {{"nofile", "maxfiles"}, {"nproc", "maxproc"}};
  return kResources;
}

// What the settings of one resource ask of its soft and hard limits.
struct Asked {
  std::vector<const Setting*> settings;
  std::optional<Want> soft;
  std::optional<Want> hard;
};

std::string field_after(const std::optional<Want>& want, const std::string& live) {
  if (!want || want->satisfied_by(live)) return live;
  return want->target_for(live);
}

// Whether a limit is above another ("unlimited" above every number).
bool above(const std::string& a, const std::string& b) {
  if (a == b || b == "unlimited") return false;
  if (a == "unlimited") return true;
  auto x = parse_integer(a);
  auto y = parse_integer(b);
  return x && y && *x > *y;
}

}  // namespace

Status LaunchdLimitsPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("limits");
  if (settings.empty()) return {};
  std::map<std::string, Asked> asked;  // by launchctl resource, in name order
  for (const Setting* setting : settings) {
    auto skip = [&](const std::string& why) {
      plan.skipped.push_back({"limits", setting->target(), setting->want.describe(), why, setting_origin(*setting)});
    };
    const std::string name = setting->key.substr(0, setting->key.find('.'));
    const std::string kind = setting->key.find('.') == std::string::npos ? "" : setting->key.substr(name.size() + 1);
    auto resource = launchd_resources().find(name);
    if (resource == launchd_resources().end()) {
      skip("macOS has no launchd limit tune sets for " + name + " (tune sets maxfiles and maxproc)");
      continue;
    }
    if (setting->scope != "*") {
      skip("launchd limits are system-wide on macOS: set them for \"*\", not for " + setting->scope);
      continue;
    }
    Asked& entry = asked[resource->second];
    entry.settings.push_back(setting);
    if (kind != "hard") entry.soft = setting->want;
    if (kind != "soft") entry.hard = setting->want;
  }
  LaunchdLimitsKnob knob;
  for (const auto& [resource, wants] : asked) {
    const Setting& first = *wants.settings.front();
    std::vector<std::string> origins;
    for (const Setting* s : wants.settings) origins.push_back(setting_origin(*s));
    auto observed = knob.observe(request.system, resource);
    if (!observed) return observed.error();
    if (!observed->supported) {
      for (const Setting* s : wants.settings) {
        plan.skipped.push_back({"limits", s->target(), s->want.describe(), "unsupported here: " + observed->note,
                                setting_origin(*s)});
      }
      continue;
    }
    auto live = split_whitespace(*observed->value);
    std::string soft = field_after(wants.soft, live[0]);
    std::string hard = field_after(wants.hard, live[1]);
    // launchctl refuses a soft limit above the hard one.
    if (above(soft, hard)) hard = soft;
    Change change;
    change.domain = "limits";
    change.target = resource;
    change.before = observed->value;
    change.after = soft + " " + hard;
    change.action = *change.after == *observed->value ? Action::None : Action::Modify;
    change.persistence = Persistence::File;
    change.reason = join(origins, ", ");
    change.note = "launchctl limit " + resource + " (system-wide; processes started after it inherit it)";
    plan.changes.push_back(change);
    const std::string path = resource == "maxfiles" ? kMaxfilesPlist : kMaxprocPlist;
    auto file = plan_file(request.system, path,
                          run_at_load_plist("limit." + resource, {kLaunchctl, "limit", resource, soft, hard},
                                            first.profile, "launchd's " + resource + " limit, set again at every boot"),
                          0644, first.profile + " (launchd " + resource + ", so it holds after a reboot)");
    if (!file) return file.error();
    plan.changes.push_back(std::move(*file));
  }
  return {};
}

}  // namespace tune::macos_platform
