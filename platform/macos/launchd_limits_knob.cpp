#include "platform/macos/launchd_limits_knob.h"

#include "platform/macos/mac_programs.h"
#include "util/text.h"

namespace tune::macos_platform {
namespace {

Status check_resource(const std::string& resource) {
  if (resource != "maxfiles" && resource != "maxproc") {
    return make_error("limits: '{}' is not a launchd limit tune sets (maxfiles, maxproc)", resource);
  }
  return {};
}

bool limit_word(const std::string& word) {
  return word == "unlimited" || (!word.empty() && parse_integer(word) && *parse_integer(word) >= 0);
}

Status set_limit(System& system, const std::string& resource, const std::string& value) {
  TUNE_RETURN_IF_ERROR(check_resource(resource));
  auto words = split_whitespace(value);
  if (words.size() != 2 || !limit_word(words[0]) || !limit_word(words[1])) {
    return make_error("limits {}: '{}' is not 'SOFT HARD'", resource, value);
  }
  return run_program(system, {kLaunchctl, "limit", resource, words[0], words[1]});
}

}  // namespace

std::optional<std::string> parse_launchctl_limit(const std::string& resource, const std::string& output) {
  for (const auto& line : split_lines(output)) {
    auto words = split_whitespace(line);
    if (words.size() == 3 && words[0] == resource && limit_word(words[1]) && limit_word(words[2])) {
      return words[1] + " " + words[2];
    }
  }
  return std::nullopt;
}

Result<Observation> LaunchdLimitsKnob::observe(const System& system, const std::string& resource) const {
  TUNE_RETURN_IF_ERROR(check_resource(resource));
  Observation observation;
  auto output = read_program(system, {kLaunchctl, "limit", resource});
  if (!output) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "cannot be read (" + output.error().message + ")";
    return observation;
  }
  auto value = parse_launchctl_limit(resource, *output);
  if (!value) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "launchctl limit " + resource + " printed no '" + resource + " SOFT HARD' line";
    return observation;
  }
  observation.value = *value;
  observation.prior = PriorState::of_value(*value);
  return observation;
}

Status LaunchdLimitsKnob::apply(System& system, const Change& change) const {
  if (!change.after) return make_error("limits {}: a launchd limit cannot be removed", change.target);
  return set_limit(system, change.target, *change.after);
}

Status LaunchdLimitsKnob::restore(System& system, const std::string& resource, const PriorState& prior) const {
  if (prior.kind != PriorState::Kind::Value) {
    return make_error("limits {}: the journal holds no value to restore", resource);
  }
  return set_limit(system, resource, prior.value);
}

bool LaunchdLimitsKnob::same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  return normalize_spaces(*live) == normalize_spaces(*wanted);
}

}  // namespace tune::macos_platform
