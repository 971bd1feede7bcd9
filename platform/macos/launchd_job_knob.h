// LaunchdJobKnob: whether a system launchd job is loaded. Targets are
// "system/LABEL" (launchctl's own name for a job in the system domain),
// values "loaded" and "unloaded". Read with `launchctl print system/LABEL`,
// whose exit status says whether launchd knows the job (launchctl(1): print
// fails for a service that is not loaded); loaded with `launchctl bootstrap
// system /Library/LaunchDaemons/LABEL.plist` and unloaded with `launchctl
// bootout system/LABEL`. A LaunchDaemon in /Library/LaunchDaemons is loaded
// again at every boot by launchd itself, so the file is its persistence.
#pragma once

#include "core/knob.h"

#include <string>

namespace tune::macos_platform {

class LaunchdJobKnob final : public Knob {
 public:
  std::string domain() const override { return "launchd"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// A launchd label tune will name a file after and pass to launchctl:
// reverse-DNS words of letters, digits, '-' and '_', at least one dot, no
// "..", and not Apple's own (com.apple.*).
bool valid_job_label(const std::string& label);

// "system/LABEL", and where its LaunchDaemon plist lives.
std::string job_target(const std::string& label);
std::string job_plist_path(const std::string& label);

}  // namespace tune::macos_platform
