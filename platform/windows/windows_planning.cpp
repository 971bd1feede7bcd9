#include "platform/windows/windows_planning.h"

#include "core/profile_host.h"

namespace tune::windows_platform {

Status plan_observed(const Knob& knob, const System& system, const Setting& setting, const std::string& domain,
                     const std::string& target, Plan& plan, const std::optional<std::string>& wanted,
                     const std::string& note) {
  const std::string origin = setting_origin(setting);
  auto observed = knob.observe(system, target);
  if (!observed) return observed.error();
  if (!observed->supported || !observed->writable) {
    std::string why = !observed->supported ? "unsupported here: " + observed->note : observed->note;
    plan.skipped.push_back({setting.domain, setting.target(), setting.want.describe(), why, origin});
    return {};
  }
  Change change;
  change.domain = domain;
  change.target = target;
  change.before = observed->value;
  change.persistence = Persistence::File;
  change.reason = origin;
  change.note = note;
  std::string after;
  if (wanted) after = *wanted;
  else if (observed->value && setting.want.satisfied_by(*observed->value)) after = *observed->value;
  else after = setting.want.target_for(observed->value.value_or(""));
  change.after = after;
  if (knob.same_at(target, observed->value, change.after)) {
    change.action = Action::None;
  } else {
    change.action = observed->value ? Action::Modify : Action::Create;
  }
  plan.changes.push_back(std::move(change));
  return {};
}

bool skipped_without_windows(const System& system, const std::vector<const Setting*>& settings, Plan& plan) {
  if (system.windows() != nullptr) return false;
  for (const Setting* setting : settings) {
    plan.skipped.push_back({setting->domain, setting->target(), setting->want.describe(),
                            "planned only on the Windows host itself: " + system.describe() +
                                " has no Windows API to read the live value from",
                            setting_origin(*setting)});
  }
  return true;
}

}  // namespace tune::windows_platform
