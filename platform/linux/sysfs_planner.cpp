#include "platform/linux/sysfs_planner.h"

#include "core/declare_or_return.h"
#include "core/file_knob.h"
#include "core/profile_host.h"
#include "core/sysfs_paths.h"
#include "platform/linux/sysfs_knob.h"
#include "platform/linux/tmpfiles.h"
#include "util/text.h"

#include <map>

namespace tune::linux_platform {

Status SysfsPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("sysfs");
  if (settings.empty()) return {};
  const System& system = request.system;
  SysfsKnob knob;
  std::vector<BootWrite> boot;
  std::map<std::string, std::string> claimed;  // resolved file -> the path that set it
  for (const Setting* setting : settings) {
    const std::string pattern = setting->key;
    const std::string origin = setting_origin(*setting);
    auto skip = [&](const std::string& target, const std::string& reason) {
      plan.skipped.push_back({"sysfs", target, setting->want.describe(), reason, origin});
    };
    if (auto problem = sysfs_path_problem(pattern)) return make_error("{}: sysfs '{}': {}", setting->origin.str(), pattern, *problem);
    if (auto refused = sysfs_refusal(Knowledge::builtin(), pattern)) {
      skip(pattern, "refused: " + *refused);
      continue;
    }
    bool bad_value = false;
    for (const auto& value : setting->want.values) bad_value = bad_value || !is_plain_text(value, false);
    if (bad_value) {
      skip(pattern, "the value holds a line break or control character; a boot file line cannot carry it");
      continue;
    }
    TUNE_DECLARE_OR_RETURN(std::vector<std::string> files, expand_sysfs_glob(system, pattern));
    if (files.empty()) {
      skip(pattern, "not available here: no file matches");
      continue;
    }
    for (const auto& path : files) {
      TUNE_DECLARE_OR_RETURN(SysfsFile file, check_sysfs_file(system, path));
      if (!file.refused.empty()) {
        skip(path, "refused: " + file.refused);
        continue;
      }
      // Claimed by the file itself: two paths (a /sys/bus link and its
      // /sys/devices target) can name one attribute, which gets one change.
      if (auto it = claimed.find(file.resolved); it != claimed.end()) {
        skip(path, "the same file as sysfs " + it->second + ", which sets it");
        continue;
      }
      TUNE_DECLARE_OR_RETURN(Observation observed, knob.observe(system, path));
      if (!observed.supported || !observed.writable) {
        skip(path, observed.note);
        continue;
      }
      claimed[file.resolved] = path == pattern ? pattern : path + " (from " + pattern + ")";
      const std::string live = *observed.value;
      const bool satisfied = setting->want.satisfied_by(live) ||
                             (setting->want.op == Want::Op::Exact && knob.same_at(path, live, setting->want.values.front()));
      const std::string wanted = satisfied ? live : setting->want.target_for(live);
      Change change;
      change.domain = "sysfs";
      change.target = path;
      change.before = live;
      change.after = wanted;
      change.action = satisfied ? Action::None : Action::Modify;
      change.persistence = Persistence::File;
      change.reason = origin;
      if (path != pattern) change.note = "matched by " + pattern;
      if (file.resolved != path) change.note += std::string(change.note.empty() ? "" : "; ") + "the file is " + file.resolved;
      if (!sysfs_entry(Knowledge::builtin(), path)) {
        change.note += std::string(change.note.empty() ? "" : "; ") + "not in tune's knowledge base: value unchecked";
      }
      plan.changes.push_back(std::move(change));
      boot.push_back({path, wanted});
    }
  }
  if (boot.empty()) return {};
  auto file = plan_file(system, kSysfsBootFile, tmpfiles_text(request.profile.name, "raw /sys attributes", boot), 0644,
                        request.profile.name + " (sysfs settings, so they hold after a reboot)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  return {};
}

}  // namespace tune::linux_platform
