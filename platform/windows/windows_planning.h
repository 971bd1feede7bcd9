// What every Windows planner does with one observed target: skip it with the
// knob's reason, or plan it (already as wanted, or to change).
#pragma once

#include "core/knob.h"
#include "core/plan.h"
#include "core/profile.h"

namespace tune::windows_platform {

// Appends a Change (or a Skip) for setting observed at domain:target; wanted
// overrides the profile's value (a pagefile size becomes the list's text).
// Settings on Windows hold across reboots by themselves: Persistence::File.
Status plan_observed(const Knob& knob, const System& system, const Setting& setting, const std::string& domain,
                     const std::string& target, Plan& plan, const std::optional<std::string>& wanted = std::nullopt,
                     const std::string& note = "");

// Without a Windows API behind the door (facts of a Windows host planned on
// Linux), live values cannot be read: each setting is skipped saying so, and
// true is returned.
bool skipped_without_windows(const System& system, const std::vector<const Setting*>& settings, Plan& plan);

}  // namespace tune::windows_platform
