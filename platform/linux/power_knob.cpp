#include "platform/linux/power_knob.h"

#include "platform/linux/power_files.h"
#include "util/text.h"

namespace tune::linux_platform {
namespace {

// A saved plan or journal names the key; only the Linux power keys are read
// or written, so a hostile target cannot reach another file.
Status check_key(const std::string& key) {
  if (!is_linux_power_key(key)) return make_error("power: '{}' is not a Linux power setting", key);
  return {};
}

// Put every member at its value in `wanted`, leaving those already there.
Status write_members(System& system, const std::string& key, const std::string& wanted) {
  PowerSetting setting = locate_power_setting(system, key);
  if (!setting.unavailable.empty()) return make_error("not available here: {}", setting.unavailable);
  auto targets = decode_members(wanted, setting.members);
  if (!targets) return make_error("'{}' does not give a value for each of {}", wanted, join(setting.members, ", "));
  auto live = read_power_values(system, key, setting);
  if (!live) return live.error();
  for (const auto& [member, value] : *live) {
    const std::string& target = targets->at(member);
    if (same_power_value(key, value, target)) continue;
    TUNE_RETURN_IF_ERROR(write_power_value(system, key, member, target));
  }
  return {};
}

}  // namespace

Result<Observation> PowerKnob::observe(const System& system, const std::string& key) const {
  TUNE_RETURN_IF_ERROR(check_key(key));
  Observation observation;
  PowerSetting setting = locate_power_setting(system, key);
  if (!setting.unavailable.empty()) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "not available here: " + setting.unavailable;
    return observation;
  }
  auto values = read_power_values(system, key, setting);
  if (!values) return values.error();
  observation.value = encode_members(*values);
  observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

Status PowerKnob::apply(System& system, const Change& change) const {
  TUNE_RETURN_IF_ERROR(check_key(change.target));
  if (!change.after) return make_error("power {}: a power setting cannot be removed", change.target);
  return write_members(system, change.target, *change.after);
}

Status PowerKnob::restore(System& system, const std::string& key, const PriorState& prior) const {
  TUNE_RETURN_IF_ERROR(check_key(key));
  if (prior.kind != PriorState::Kind::Value) return make_error("power {}: the journal holds no value to restore", key);
  return write_members(system, key, prior.value);
}

bool PowerKnob::same_at(const std::string& key, const std::optional<std::string>& live,
                        const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  return same_power_value(key, *live, *wanted);
}

}  // namespace tune::linux_platform
