#include "platform/macos/launchd_job_knob.h"

#include "core/declare_or_return.h"
#include "platform/macos/launchd_plist.h"
#include "platform/macos/mac_programs.h"
#include "util/text.h"

#include <cctype>

namespace tune::macos_platform {
namespace {

constexpr const char* kDomainPrefix = "system/";

// The label out of "system/LABEL", checked: nothing in a saved plan or a
// journal becomes a path outside /Library/LaunchDaemons or a launchctl option.
Result<std::string> label_of(const std::string& target) {
  if (!starts_with(target, kDomainPrefix) || !valid_job_label(target.substr(std::string(kDomainPrefix).size()))) {
    return make_error("launchd: '{}' is not system/LABEL", target);
  }
  return target.substr(std::string(kDomainPrefix).size());
}

Status set_loaded(System& system, const std::string& target, const std::string& value) {
  TUNE_DECLARE_OR_RETURN(std::string label, label_of(target));
  if (value == "loaded") return run_program(system, {kLaunchctl, "bootstrap", "system", job_plist_path(label)});
  if (value == "unloaded") return run_program(system, {kLaunchctl, "bootout", target});
  return make_error("launchd {}: '{}' is not loaded or unloaded", target, value);
}

}  // namespace

bool valid_job_label(const std::string& label) {
  if (label.empty() || label.size() > 200 || !std::isalnum(static_cast<unsigned char>(label[0]))) return false;
  if (label.find('.') == std::string::npos || label.find("..") != std::string::npos || label.back() == '.') return false;
  if (starts_with(label, "com.apple.")) return false;
  for (char c : label) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

std::string job_target(const std::string& label) { return kDomainPrefix + label; }

std::string job_plist_path(const std::string& label) { return std::string(kLaunchDaemons) + "/" + label + ".plist"; }

Result<Observation> LaunchdJobKnob::observe(const System& system, const std::string& target) const {
  if (auto label = label_of(target); !label) return label.error();
  Observation observation;
  auto printed = system.query({kLaunchctl, "print", target});
  if (!printed) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "cannot be read (launchctl print " + target + ": " + printed.error().message + ")";
    return observation;
  }
  const std::string state = printed->exit_code == 0 ? "loaded" : "unloaded";
  observation.value = state;
  observation.prior = PriorState::of_value(state);
  return observation;
}

Status LaunchdJobKnob::apply(System& system, const Change& change) const {
  if (!change.after) return make_error("launchd {}: a job is loaded or unloaded, never removed", change.target);
  return set_loaded(system, change.target, *change.after);
}

Status LaunchdJobKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  if (prior.kind != PriorState::Kind::Value) return make_error("launchd {}: the journal holds no state to restore", target);
  return set_loaded(system, target, prior.value);
}

}  // namespace tune::macos_platform
