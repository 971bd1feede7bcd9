#include "platform/macos/mac_sysctl_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/macos/launchd_plist.h"
#include "platform/macos/mac_programs.h"
#include "platform/macos/mac_sysctl_knob.h"
#include "util/text.h"

namespace tune::macos_platform {

std::optional<std::string> refused_on_this_mac(const std::string& key, const std::string& value, const HostFacts& facts) {
  if (key != "iogpu.wired_limit_mb") return std::nullopt;
  auto mib = parse_integer(value);
  if (!mib || *mib < 0) return "'" + value + "' is not a number of MiB";
  if (!facts.memory.total_bytes) {
    if (*mib == 0) return std::nullopt;  // 0 is macOS's own default share
    return std::string("this Mac's memory is unknown, so a GPU share of it cannot be checked");
  }
  const long long total_mib = static_cast<long long>(*facts.memory.total_bytes / (1024 * 1024));
  if (*mib > total_mib) {
    return fmt::format("{} MiB is above the {} MiB this Mac has: the GPU cannot wire more memory than there is", *mib,
                       total_mib);
  }
  return std::nullopt;
}

Status MacSysctlPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("sysctl");
  if (settings.empty()) return {};
  MacSysctlKnob knob;
  std::vector<std::string> boot_program = {kSysctl, "-w"};
  for (const Setting* setting : settings) {
    const std::string origin = setting_origin(*setting);
    auto skip = [&](const std::string& why) {
      plan.skipped.push_back({"sysctl", setting->key, setting->want.describe(), why, origin});
    };
    auto observed = knob.observe(request.system, setting->key);
    if (!observed) return observed.error();
    if (!observed->supported) {
      skip("unsupported here: " + observed->note);
      continue;
    }
    if (!observed->writable) {
      skip(observed->note);
      continue;
    }
    Change change;
    change.domain = "sysctl";
    change.target = setting->key;
    change.before = observed->value;
    change.persistence = Persistence::File;
    change.reason = origin;
    if (setting->want.satisfied_by(*observed->value)) {
      change.action = Action::None;
      change.after = observed->value;
    } else {
      change.action = Action::Modify;
      change.after = setting->want.target_for(*observed->value);
      if (auto why = refused_on_this_mac(setting->key, *change.after, request.facts)) {
        skip(*why);
        continue;
      }
    }
    boot_program.push_back(setting->key + "=" + *change.after);
    plan.changes.push_back(std::move(change));
  }
  if (boot_program.size() == 2) return {};
  auto file = plan_file(request.system, kSysctlPlist,
                        run_at_load_plist("dev.tune.sysctl", boot_program, request.profile.name,
                                          "sysctl values, set again at every boot"),
                        0644, request.profile.name + " (sysctl values, so they hold after a reboot)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  return {};
}

}  // namespace tune::macos_platform
