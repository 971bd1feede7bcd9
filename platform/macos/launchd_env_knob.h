// LaunchdEnvKnob: environment variables launchd gives the apps and jobs it
// starts, the way Ollama's own documentation sets them for the Mac app:
// `launchctl setenv NAME VALUE`, read back with `launchctl getenv NAME`,
// removed with `launchctl unsetenv NAME`. Targets are "JOB/NAME" (the launchd
// job the profile sets it for, "com.ollama.ollama/OLLAMA_KEEP_ALIVE"); launchd
// keeps one environment for its domain, so the job names who asked, and
// every app started afterwards sees the variable.
#pragma once

#include "core/knob.h"

namespace tune::macos_platform {

class LaunchdEnvKnob final : public Knob {
 public:
  std::string domain() const override { return "environment"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// The variable's name out of "JOB/NAME", checked to be a name (letters,
// digits, _), so nothing else reaches launchctl's argument list.
Result<std::string> environment_name(const std::string& target);

// The LaunchAgent that sets one variable again at each login.
std::string environment_plist_path(const std::string& name);

}  // namespace tune::macos_platform
