#include "platform/linux/selinux_planner.h"

#include "core/declare_or_return.h"
#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/linux/selinux_knob.h"
#include "platform/linux/tmpfiles.h"

namespace tune::linux_platform {

Status SelinuxPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("selinux");
  if (settings.empty()) return {};
  const System& system = request.system;
  SelinuxKnob knob;
  std::vector<BootWrite> boot;
  for (const Setting* setting : settings) {
    const std::string target = setting->target();
    const std::string origin = setting_origin(*setting);
    TUNE_DECLARE_OR_RETURN(std::string path, selinux_path(target));
    TUNE_DECLARE_OR_RETURN(Observation observed, knob.observe(system, target));
    if (!observed.supported || !observed.writable) {
      plan.skipped.push_back({"selinux", target, setting->want.describe(), observed.note, origin});
      continue;
    }
    const std::string live = *observed.value;
    const bool satisfied = setting->want.satisfied_by(live);
    const std::string wanted = satisfied ? live : setting->want.target_for(live);
    Change change;
    change.domain = "selinux";
    change.target = target;
    change.before = live;
    change.after = wanted;
    change.action = satisfied ? Action::None : Action::Modify;
    change.persistence = Persistence::File;
    change.reason = origin;
    plan.changes.push_back(std::move(change));
    boot.push_back({path, wanted});
  }
  if (boot.empty()) return {};
  auto file = plan_file(system, kSelinuxBootFile, tmpfiles_text(request.profile.name, "SELinux tunables", boot), 0644,
                        request.profile.name + " (SELinux settings, so they hold after a reboot)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  return {};
}

}  // namespace tune::linux_platform
