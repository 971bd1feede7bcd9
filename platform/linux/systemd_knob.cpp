#include "platform/linux/systemd_knob.h"

#include "platform/linux/unit_files.h"
#include "util/text.h"

namespace tune::linux_platform {
namespace {

// What a target asks for: a call, or a unit's state.
struct SystemdTarget {
  enum class Kind { Reload, Restart, Enabled, Active };
  Kind kind = Kind::Reload;
  std::string unit;
};

Result<SystemdTarget> parse_target(const std::string& target) {
  if (target == kDaemonReload) return SystemdTarget{SystemdTarget::Kind::Reload, ""};
  if (starts_with(target, "restart ")) {
    std::string unit = target.substr(8);
    if (valid_unit_name(unit)) return SystemdTarget{SystemdTarget::Kind::Restart, unit};
  }
  auto slash = target.find('/');
  if (slash != std::string::npos && valid_unit_name(target.substr(0, slash))) {
    const std::string state = target.substr(slash + 1);
    if (state == "enabled") return SystemdTarget{SystemdTarget::Kind::Enabled, target.substr(0, slash)};
    if (state == "active") return SystemdTarget{SystemdTarget::Kind::Active, target.substr(0, slash)};
  }
  return make_error("systemd: '{}' is neither a call tune makes nor a unit state", target);
}

// Put a unit's enablement or activity at `wanted`.
Status set_state(System& system, const SystemdTarget& target, const std::string& wanted) {
  ServiceManager& services = system.services();
  if (target.kind == SystemdTarget::Kind::Enabled) {
    return wanted == "enabled" ? services.enable(target.unit) : services.disable(target.unit);
  }
  return wanted == "active" ? services.start(target.unit) : services.stop(target.unit);
}

}  // namespace

std::string restart_target(const std::string& unit) { return "restart " + unit; }

bool SystemdKnob::is_call(const std::string& target) const {
  auto parsed = parse_target(target);
  return parsed && (parsed->kind == SystemdTarget::Kind::Reload || parsed->kind == SystemdTarget::Kind::Restart);
}

Result<Observation> SystemdKnob::observe(const System& system, const std::string& target) const {
  auto parsed = parse_target(target);
  if (!parsed) return parsed.error();
  Observation observation;
  ServiceManager& services = system.services();
  if (!services.running()) {
    observation.supported = false;
    observation.writable = false;
    observation.note = services.describe();
    return observation;
  }
  if (parsed->kind == SystemdTarget::Kind::Reload || parsed->kind == SystemdTarget::Kind::Restart) return observation;
  auto status = services.status(parsed->unit);
  if (!status) return status.error();
  // Enablement reads "enabled" or "disabled" (static, indirect and the like stay themselves);
  // activity "active" or "inactive", since a rollback can only start or stop.
  std::string value = parsed->kind == SystemdTarget::Kind::Enabled ? status->unit_file_state : status->active_state;
  if (parsed->kind == SystemdTarget::Kind::Enabled && value.empty()) value = "disabled";
  if (parsed->kind == SystemdTarget::Kind::Active && value != "active") value = "inactive";
  observation.value = value;
  observation.prior = PriorState::of_value(value);
  return observation;
}

Status SystemdKnob::apply(System& system, const Change& change) const {
  auto parsed = parse_target(change.target);
  if (!parsed) return parsed.error();
  switch (parsed->kind) {
    case SystemdTarget::Kind::Reload: return system.services().reload();
    case SystemdTarget::Kind::Restart: return system.services().restart(parsed->unit);
    default: break;
  }
  if (!change.after) return make_error("systemd {}: no state to set", change.target);
  return set_state(system, *parsed, *change.after);
}

Status SystemdKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  auto parsed = parse_target(target);
  if (!parsed) return parsed.error();
  switch (parsed->kind) {
    // The call again, now over the files the rollback put back.
    case SystemdTarget::Kind::Reload: return system.services().reload();
    case SystemdTarget::Kind::Restart: {
      // Only a unit still running is restarted: one stopped since, or gone
      // with the rollback (a unit tune installed), is left so.
      auto status = system.services().status(parsed->unit);
      if (!status || status->active_state != "active") return {};
      return system.services().restart(parsed->unit);
    }
    default: break;
  }
  if (prior.kind != PriorState::Kind::Value) return make_error("systemd {}: the journal holds no state to restore", target);
  return set_state(system, *parsed, prior.value);
}

Change systemctl_call(const std::string& target, const std::string& reason, const std::string& note) {
  Change change;
  change.domain = "systemd";
  change.target = target;
  change.action = Action::Run;
  change.after = target == kDaemonReload ? "systemctl daemon-reload" : "systemctl " + target;
  change.persistence = Persistence::Runtime;
  change.reason = reason;
  change.note = note;
  return change;
}

}  // namespace tune::linux_platform
