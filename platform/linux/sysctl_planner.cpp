#include "platform/linux/sysctl_planner.h"

#include "core/file_knob.h"
#include "platform/linux/sysctl_knob.h"
#include "util/text.h"

#include <map>

namespace tune::linux_platform {
namespace {

// Directories systemd-sysctl reads, in the order a same-named file shadows.
const char* const kSysctlDirs[] = {"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
                                   "/lib/sysctl.d"};

// Files read after ours (they sort later) that set one of our keys win at
// boot; the reviewer should know.
void warn_about_overrides(const System& system, const std::map<std::string, std::string>& keys, Plan& plan) {
  std::map<std::string, std::string> files;  // name -> path, first directory wins
  for (const char* dir : kSysctlDirs) {
    auto names = system.list_dir(dir);
    if (!names) continue;
    for (const auto& name : *names) {
      if (ends_with(name, ".conf") && !files.count(name)) files[name] = std::string(dir) + "/" + name;
    }
  }
  for (const auto& [name, path] : files) {
    if (name <= "90-tune.conf") continue;
    auto text = system.read_file(path);
    if (!text) continue;
    for (const auto& line : split_lines(*text)) {
      std::string trimmed = trim(line);
      if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') continue;
      auto equals = trimmed.find('=');
      if (equals == std::string::npos) continue;
      std::string key = trim(trimmed.substr(0, equals));
      if (!key.empty() && key[0] == '-') key = key.substr(1);
      for (char& c : key) c = c == '/' ? '.' : c;
      if (keys.count(key)) {
        plan.warnings.push_back(path + " also sets " + key + " and is read after " + kSysctlFile +
                                ", so its value wins at boot");
      }
    }
  }
}

}  // namespace

std::string sysctl_file_text(const std::string& profile, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string text = tune_file_header(profile);
  for (const auto& [key, value] : values) text += key + " = " + value + "\n";
  return text;
}

Status SysctlPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("sysctl");
  if (settings.empty()) return {};
  SysctlKnob knob;
  std::vector<std::pair<std::string, std::string>> persisted;
  std::map<std::string, std::string> persisted_keys;
  for (const Setting* requested : settings) {
    const Setting& setting = *requested;
    const std::string origin = setting.profile + " (" + setting.origin.str() + ")";
    auto observed = knob.observe(request.system, setting.key);
    if (!observed) return observed.error();
    if (!observed->supported || !observed->writable) {
      std::string why = !observed->supported ? "unsupported here: " + observed->note : observed->note;
      plan.skipped.push_back({"sysctl", setting.key, setting.want.describe(), why, origin});
      continue;
    }
    Change change;
    change.domain = "sysctl";
    change.target = setting.key;
    change.before = observed->value;
    change.persistence = Persistence::File;
    change.reason = origin;
    if (setting.want.satisfied_by(*observed->value)) {
      change.action = Action::None;
      change.after = observed->value;
    } else {
      change.action = Action::Modify;
      change.after = setting.want.target_for(*observed->value);
    }
    persisted.emplace_back(setting.key, *change.after);
    persisted_keys[setting.key] = *change.after;
    plan.changes.push_back(std::move(change));
  }
  if (persisted.empty()) return {};
  auto file = plan_file(request.system, kSysctlFile, sysctl_file_text(request.profile.name, persisted), 0644,
                        request.profile.name + " (sysctl values, so they hold after a reboot)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  warn_about_overrides(request.system, persisted_keys, plan);
  return {};
}

}  // namespace tune::linux_platform
