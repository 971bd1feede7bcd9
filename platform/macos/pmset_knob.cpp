#include "platform/macos/pmset_knob.h"

#include "platform/macos/mac_programs.h"
#include "platform/macos/pmset_values.h"
#include "util/text.h"

#include <algorithm>

namespace tune::macos_platform {
namespace {

Status check_key(const std::string& key) {
  if (!is_pmset_key(key)) return make_error("power: '{}' is not a pmset setting tune changes", key);
  return {};
}

Status check_value(const std::string& key, const std::string& value) {
  auto number = parse_integer(value);
  if (!number || *number < 0) return make_error("power {}: '{}' is not a pmset value", key, value);
  return {};
}

}  // namespace

bool is_pmset_key(const std::string& key) {
  static const char* const kKeys[] = {"sleep",        "disksleep",     "displaysleep", "standby",
                                      "powernap",     "autopoweroff",  "hibernatemode", "tcpkeepalive",
                                      "lowpowermode", "womp",          "proximitywake"};
  return std::any_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return key == k; });
}

Result<Observation> PmsetKnob::observe(const System& system, const std::string& key) const {
  TUNE_RETURN_IF_ERROR(check_key(key));
  Observation observation;
  auto output = read_program(system, {kPmset, "-g", "custom"});
  if (!output) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "cannot be read (" + output.error().message + ")";
    return observation;
  }
  auto value = pmset_value(parse_pmset(*output), key);
  if (!value) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "pmset offers no " + key + " on this Mac";
    return observation;
  }
  observation.value = *value;
  observation.prior = PriorState::of_value(*value);
  return observation;
}

Status PmsetKnob::apply(System& system, const Change& change) const {
  TUNE_RETURN_IF_ERROR(check_key(change.target));
  if (!change.after) return make_error("power {}: a pmset setting cannot be removed", change.target);
  TUNE_RETURN_IF_ERROR(check_value(change.target, *change.after));
  return run_program(system, {kPmset, "-a", change.target, *change.after});
}

Status PmsetKnob::restore(System& system, const std::string& key, const PriorState& prior) const {
  TUNE_RETURN_IF_ERROR(check_key(key));
  if (prior.kind != PriorState::Kind::Value) return make_error("power {}: the journal holds no value to restore", key);
  for (const auto& [source, value] : split_pmset_value(prior.value)) {
    TUNE_RETURN_IF_ERROR(check_value(key, value));
    if (source.empty()) return run_program(system, {kPmset, "-a", key, value});
    auto flag = pmset_source_flag(source);
    if (!flag) return make_error("power {}: pmset has no flag for the source '{}'", key, source);
    TUNE_RETURN_IF_ERROR(run_program(system, {kPmset, *flag, key, value}));
  }
  return {};
}

}  // namespace tune::macos_platform
