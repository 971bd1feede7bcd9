#include "platform/macos/launchd_env_knob.h"

#include "core/declare_or_return.h"
#include "platform/macos/launchd_plist.h"
#include "platform/macos/mac_programs.h"
#include "util/text.h"

#include <cctype>

namespace tune::macos_platform {

Result<std::string> environment_name(const std::string& target) {
  const std::string name = target.substr(target.rfind('/') + 1);
  bool valid = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!valid) return make_error("environment: '{}' is not a variable name", target);
  return name;
}

std::string environment_plist_path(const std::string& name) {
  return std::string(kEnvironmentPlistPrefix) + name + ".plist";
}

Result<Observation> LaunchdEnvKnob::observe(const System& system, const std::string& target) const {
  TUNE_DECLARE_OR_RETURN(std::string name, environment_name(target));
  Observation observation;
  auto output = read_program(system, {kLaunchctl, "getenv", name});
  if (!output) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "cannot be read (" + output.error().message + ")";
    return observation;
  }
  // getenv prints the value and a newline, or nothing when it is not set.
  std::string value = *output;
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (value.empty()) {
    observation.prior = PriorState::absent();
    return observation;
  }
  observation.value = value;
  observation.prior = PriorState::of_value(value);
  return observation;
}

Status LaunchdEnvKnob::apply(System& system, const Change& change) const {
  TUNE_DECLARE_OR_RETURN(std::string name, environment_name(change.target));
  if (!change.after) return run_program(system, {kLaunchctl, "unsetenv", name});
  if (change.after->find('\n') != std::string::npos) {
    return make_error("environment {}: a value of more than one line", change.target);
  }
  return run_program(system, {kLaunchctl, "setenv", name, *change.after});
}

Status LaunchdEnvKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  TUNE_DECLARE_OR_RETURN(std::string name, environment_name(target));
  if (prior.kind == PriorState::Kind::Absent) return run_program(system, {kLaunchctl, "unsetenv", name});
  if (prior.kind != PriorState::Kind::Value) {
    return make_error("environment {}: the journal holds no value to restore", target);
  }
  return run_program(system, {kLaunchctl, "setenv", name, prior.value});
}

}  // namespace tune::macos_platform
