#include "platform/macos/mac_sysctl_knob.h"

#include "core/profile.h"
#include "platform/macos/mac_programs.h"
#include "util/text.h"

namespace tune::macos_platform {
namespace {

// A key is an argument of sysctl: only a sysctl name ("kern.maxfiles") is
// passed on, never something a saved plan made up ("-a", "x=1").
Status check_key(const std::string& key) {
  if (!valid_sysctl_key(key) || key.find('=') != std::string::npos || key.find('/') != std::string::npos) {
    return make_error("sysctl: '{}' is not a sysctl key", key);
  }
  return {};
}

Status write_value(System& system, const std::string& key, const std::string& value) {
  TUNE_RETURN_IF_ERROR(check_key(key));
  if (value.empty() || value.find('\n') != std::string::npos) {
    return make_error("sysctl {}: '{}' is not a value", key, value);
  }
  return run_program(system, {kSysctl, "-w", key + "=" + value});
}

}  // namespace

bool read_only_mac_sysctl(const std::string& key) {
  static const char* const kPrefixes[] = {"hw.", "machdep.", "kern.osversion", "kern.osproductversion",
                                          "kern.osrelease", "kern.ostype", "kern.version", "kern.boottime"};
  for (const char* prefix : kPrefixes) {
    if (starts_with(key, prefix)) return true;
  }
  return false;
}

Result<Observation> MacSysctlKnob::observe(const System& system, const std::string& key) const {
  TUNE_RETURN_IF_ERROR(check_key(key));
  Observation observation;
  auto value = read_program(system, {kSysctl, "-n", key});
  if (!value) {
    // sysctl says "sysctl: unknown oid 'KEY'" for a key this macOS lacks.
    observation.supported = false;
    observation.writable = false;
    observation.note = value.error().message.find("unknown oid") != std::string::npos
                           ? "no such key on this macOS"
                           : "cannot be read (" + value.error().message + ")";
    return observation;
  }
  observation.value = normalize_spaces(*value);
  observation.prior = PriorState::of_value(*observation.value);
  if (read_only_mac_sysctl(key)) {
    observation.writable = false;
    observation.note = "read-only: it describes the machine";
  }
  return observation;
}

Status MacSysctlKnob::apply(System& system, const Change& change) const {
  if (!change.after) return make_error("sysctl {}: a kernel key cannot be removed", change.target);
  return write_value(system, change.target, *change.after);
}

Status MacSysctlKnob::restore(System& system, const std::string& key, const PriorState& prior) const {
  if (prior.kind != PriorState::Kind::Value) return make_error("sysctl {}: the journal holds no value to restore", key);
  return write_value(system, key, prior.value);
}

bool MacSysctlKnob::same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  return normalize_spaces(*live) == normalize_spaces(*wanted);
}

}  // namespace tune::macos_platform
