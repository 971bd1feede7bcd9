// SystemdKnob: the calls and unit states tune asks of the service manager,
// through System::services(): "daemon-reload" and "restart UNIT" are calls
// (made after the files they follow, and made again after a rollback puts
// those files back); "UNIT/enabled" and "UNIT/active" are states, set and
// restored (a unit installed from a template is enabled and started, and a
// rollback disables and stops it again).
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class SystemdKnob final : public Knob {
 public:
  std::string domain() const override { return "systemd"; }
  bool is_call(const std::string& target) const override;
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

inline constexpr const char* kDaemonReload = "daemon-reload";
std::string restart_target(const std::string& unit);  // "restart ollama.service"

// A planned call of the service manager (kDaemonReload or a restart_target),
// made for the profile `reason` names.
Change systemctl_call(const std::string& target, const std::string& reason, const std::string& note);

}  // namespace tune::linux_platform
