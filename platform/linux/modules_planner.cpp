#include "platform/linux/modules_planner.h"

#include "core/declare_or_return.h"
#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/linux/modprobe_options.h"
#include "platform/linux/modules_knob.h"
#include "platform/linux/sysfs_attribute.h"
#include "platform/linux/tmpfiles.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>

namespace tune::linux_platform {
namespace {

// A value modprobe reads as one PARAM=VALUE word (substituted values are
// checked here; the profile parser checked the written ones).
bool one_word(const std::string& value) {
  return !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '#' || c == '\\' ||
           static_cast<unsigned char>(c) < 0x20;
  });
}

}  // namespace

Status ModulesPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("modules");
  if (settings.empty()) return {};
  const System& system = request.system;
  ModulesKnob live_knob;
  ModprobeKnob modprobe_knob;
  ModuleOptions options;
  std::vector<BootWrite> boot;
  std::vector<Change> pending;  // modprobe changes, after the live ones
  for (const Setting* setting : settings) {
    const std::string target = setting->target();
    const std::string origin = setting_origin(*setting);
    auto skip = [&](const std::string& reason) {
      plan.skipped.push_back({"modules", target, setting->want.describe(), reason, origin});
    };
    TUNE_DECLARE_OR_RETURN(ModuleParam where, module_param("modules", target));
    if (!std::all_of(setting->want.values.begin(), setting->want.values.end(), one_word)) {
      skip("a module parameter value is one word without blanks, quotes, '#' or '\\'");
      continue;
    }
    const ModuleState state = module_state(system, where.module);
    Attribute attribute;
    if (state != ModuleState::NotLoaded) {
      TUNE_ASSIGN_OR_RETURN(attribute, read_attribute(system, parameter_path(where.module, where.param)));
    }
    const bool live = state != ModuleState::NotLoaded && attribute.exists && attribute.writable;
    if (state == ModuleState::BuiltIn && !live) {
      skip(where.module + " is built into this kernel and " + where.param +
           (attribute.exists ? " is read-only" : " is not shown in /sys/module") +
           ": only the kernel command line sets it (a boot parameter " + where.module + "." + where.param + "=VALUE)");
      continue;
    }
    Change change;
    change.reason = origin;
    change.persistence = Persistence::File;
    change.target = target;
    if (live) {
      TUNE_DECLARE_OR_RETURN(Observation observed, live_knob.observe(system, target));
      const std::string now = *observed.value;
      const bool satisfied = setting->want.satisfied_by(now) ||
                             (setting->want.op == Want::Op::Exact && same_parameter_value(now, setting->want.values.front()));
      const std::string wanted = satisfied ? now : setting->want.target_for(now);
      change.domain = "modules";
      change.before = now;
      change.after = wanted;
      change.action = satisfied ? Action::None : Action::Modify;
      if (state == ModuleState::BuiltIn) {
        change.note = where.module + " is built in: the boot file writes it again at every boot";
        boot.push_back({parameter_path(where.module, where.param), wanted});
      } else {
        options[where.module].emplace_back(where.param, wanted);
      }
      plan.changes.push_back(std::move(change));
      continue;
    }
    TUNE_DECLARE_OR_RETURN(Observation configured, modprobe_knob.observe(system, target));
    const std::string base = configured.value.value_or(attribute.exists ? attribute.text : "");
    const bool satisfied = configured.value && (setting->want.satisfied_by(*configured.value) ||
                                                (setting->want.op == Want::Op::Exact &&
                                                 same_parameter_value(*configured.value, setting->want.values.front())));
    const std::string wanted = satisfied ? *configured.value : setting->want.target_for(base);
    change.domain = "modprobe";
    change.before = configured.value;
    change.after = wanted;
    change.action = satisfied ? Action::None : configured.value ? Action::Modify : Action::Create;
    change.note = state == ModuleState::NotLoaded
                      ? "pending: takes effect when " + where.module + " is next loaded"
                      : "pending: " + where.param + (attribute.exists ? " is read-only while " : " is not shown while ") +
                            where.module + " is loaded; takes effect when it is next loaded (or at the next boot)";
    options[where.module].emplace_back(where.param, wanted);
    pending.push_back(std::move(change));
  }
  for (auto& change : pending) plan.changes.push_back(std::move(change));
  if (!options.empty()) {
    auto file = plan_file(system, kModprobeFile, modprobe_text(request.profile.name, options), 0644,
                          request.profile.name + " (module parameters, for every load of the module)");
    if (!file) return file.error();
    plan.changes.push_back(std::move(*file));
  }
  if (!boot.empty()) {
    auto file = plan_file(system, kModulesBootFile,
                          tmpfiles_text(request.profile.name, "parameters of built-in kernel modules", boot), 0644,
                          request.profile.name + " (parameters of built-in modules, so they hold after a reboot)");
    if (!file) return file.error();
    plan.changes.push_back(std::move(*file));
  }
  return {};
}

}  // namespace tune::linux_platform
